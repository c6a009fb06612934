# daiban_embed(OUTPUT file.cpp NAMESPACE ns FILES a.lua b.lua ...)
# Turns each file into `extern const std::string_view <stem>;` inside `ns`, regenerated at build
# time whenever a source file changes, so scripts and text tables ship inside the binary.
function(daiban_embed)
  cmake_parse_arguments(E "" "OUTPUT;NAMESPACE" "FILES" ${ARGN})
  # A CMake list would be split by the shell at ';', so the files travel joined by '|'.
  string(REPLACE ";" "|" joined "${E_FILES}")
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${E_OUTPUT} -DNAMESPACE=${E_NAMESPACE} "-DFILES=${joined}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${E_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding ${E_NAMESPACE}"
    VERBATIM)
endfunction()
