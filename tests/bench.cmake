# Benchmark helpers (not tests): the bare Beast server `daiban bench` is compared against.
add_executable(hello_server ${CMAKE_CURRENT_SOURCE_DIR}/bench/hello_server.cpp)
target_link_libraries(hello_server PRIVATE daiban_options)
daiban_use_pch(hello_server)
