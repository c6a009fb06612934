# e2e tier (tests/e2e/README.md): the built daiban against independent Node peers and the fake
# WeChat API. A fixture installs the pinned npm packages once (npm ci --prefer-offline); the run
# needs the Redis fixture. Without `node` the tests are skipped (exit code 77), not failed.
find_program(NODE_EXECUTABLE node)
find_program(NPM_EXECUTABLE npm)
set(DAIBAN_E2E_DIR ${CMAKE_CURRENT_SOURCE_DIR}/e2e)
if(NODE_EXECUTABLE AND NPM_EXECUTABLE)
  add_test(NAME e2e_npm_ci COMMAND ${NPM_EXECUTABLE} ci --prefer-offline --no-audit --no-fund
           WORKING_DIRECTORY ${DAIBAN_E2E_DIR})
  set_tests_properties(e2e_npm_ci PROPERTIES FIXTURES_SETUP e2e_npm LABELS e2e TIMEOUT 300)
  add_test(NAME e2e_wechat
    COMMAND ${NODE_EXECUTABLE} ${DAIBAN_E2E_DIR}/run_e2e.js $<TARGET_FILE:daiban>
            ${DAIBAN_TEST_VAR}/redis.addr ${PROJECT_SOURCE_DIR} ${DAIBAN_TEST_VAR}/e2e
    WORKING_DIRECTORY ${DAIBAN_E2E_DIR})
  set_tests_properties(e2e_wechat PROPERTIES FIXTURES_REQUIRED "redis;e2e_npm" RESOURCE_LOCK fixture_redis LABELS e2e
                       TIMEOUT 300)
else()
  add_test(NAME e2e_wechat COMMAND ${CMAKE_COMMAND} -E echo "node not found: e2e tests skipped")
  set_tests_properties(e2e_wechat PROPERTIES LABELS e2e SKIP_REGULAR_EXPRESSION "skipped")
endif()
