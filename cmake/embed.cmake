# daiban_embed(OUTPUT file.cpp NAMESPACE ns FILES a.lua b.lua ...)
# Turns each file into `extern const std::string_view <stem>;` inside `ns`, regenerated at build
# time whenever a source file changes, so scripts and text tables ship inside the binary.
function(daiban_embed)
  cmake_parse_arguments(E "" "OUTPUT;NAMESPACE" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${E_OUTPUT} -DNAMESPACE=${E_NAMESPACE} "-DFILES=${E_FILES}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${E_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding ${E_NAMESPACE}")
endfunction()
