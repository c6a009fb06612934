# e2e tier (tests/e2e/README.md): the built daiban against independent Node peers and the fake
# WeChat API. A fixture installs the pinned npm packages once (npm ci --prefer-offline); the runs
# need the Redis fixture. Each test file is a CTest test of its own (`e2e:pushes` for
# pushes.test.js): a server start per file, but a hang or a failure names its file, and no file's
# slow waits (the group bot's minute, the kill -9 loops) eat another's time budget.
# Without `node` the tests are skipped, not failed.
find_program(NODE_EXECUTABLE node)
find_program(NPM_EXECUTABLE npm)
set(DAIBAN_E2E_DIR ${CMAKE_CURRENT_SOURCE_DIR}/e2e)
file(GLOB DAIBAN_E2E_FILES CONFIGURE_DEPENDS RELATIVE ${DAIBAN_E2E_DIR} ${DAIBAN_E2E_DIR}/*.test.js)
if(NODE_EXECUTABLE AND NPM_EXECUTABLE)
  add_test(NAME e2e_npm_ci COMMAND ${NPM_EXECUTABLE} ci --prefer-offline --no-audit --no-fund
           WORKING_DIRECTORY ${DAIBAN_E2E_DIR})
  set_tests_properties(e2e_npm_ci PROPERTIES FIXTURES_SETUP e2e_npm LABELS e2e TIMEOUT 300)
  foreach(file IN LISTS DAIBAN_E2E_FILES)
    string(REPLACE ".test.js" "" name ${file})
    add_test(NAME e2e:${name}
      COMMAND ${NODE_EXECUTABLE} ${DAIBAN_E2E_DIR}/run_e2e.js $<TARGET_FILE:daiban>
              ${DAIBAN_TEST_VAR}/redis.addr ${PROJECT_SOURCE_DIR} ${DAIBAN_TEST_VAR}/e2e ${file}
      WORKING_DIRECTORY ${DAIBAN_E2E_DIR})
    set_tests_properties(e2e:${name} PROPERTIES FIXTURES_REQUIRED "redis;e2e_npm"
                         RESOURCE_LOCK fixture_redis LABELS e2e TIMEOUT 300)
  endforeach()
  # The Wechaty bridge (bridge/) has packages of its own (Wechaty, wechaty-puppet-mock), pinned by
  # bridge/package-lock.json; e2e:bridge runs it in-process.
  add_test(NAME e2e_bridge_npm_ci COMMAND ${NPM_EXECUTABLE} ci --prefer-offline --no-audit --no-fund
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/bridge)
  set_tests_properties(e2e_bridge_npm_ci PROPERTIES FIXTURES_SETUP e2e_bridge_npm LABELS e2e TIMEOUT 300)
  if(TEST e2e:bridge)
    set_tests_properties(e2e:bridge PROPERTIES FIXTURES_REQUIRED "redis;e2e_npm;e2e_bridge_npm")
  endif()
else()
  add_test(NAME e2e COMMAND ${CMAKE_COMMAND} -E echo "node not found: e2e tests skipped")
  set_tests_properties(e2e PROPERTIES LABELS e2e SKIP_REGULAR_EXPRESSION "skipped")
endif()
