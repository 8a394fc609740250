# The notification admin API over real HTTP: channels with write-only secrets, addresses, the
# failures page, and a test send to a local fake robot.
include("${CMAKE_CURRENT_LIST_DIR}/harness.cmake")
if(NOT TARGET salesradar_api_test_env OR NOT TARGET salesradar_notify_test_support)
  return()
endif()
salesradar_add_test(api_notify_test
  SOURCES "${CMAKE_CURRENT_LIST_DIR}/notify_routes_test.cc"
  DEPS salesradar_api_test_env salesradar_api salesradar_notify_test_support
  LABELS "api;notify")
salesradar_add_pg_variant(api_notify_test)

# Issue 7's kill test: the built `salesradar serve` is SIGKILLed while notifications are pending
# and in flight to a local fake robot, then restarted.
salesradar_add_test(api_notify_kill_test
  SOURCES "${CMAKE_CURRENT_LIST_DIR}/notify_sigkill_serve_test.cc"
  DEPS salesradar_api_test_env salesradar_api salesradar_notify_test_support fmt::fmt
  LABELS "api;notify")
if(TARGET salesradar)
  add_dependencies(api_notify_kill_test salesradar)
endif()
