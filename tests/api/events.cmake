# Event intake, the engine host, alerts and the live stream. The engine host test runs in process
# without HTTP; the others start an App through the shared harness.
include("${CMAKE_CURRENT_LIST_DIR}/harness.cmake")
if(NOT TARGET salesradar_api_test_env)
  return()
endif()

salesradar_add_test(api_event_engine_host_test
  SOURCES "${CMAKE_CURRENT_LIST_DIR}/event_engine_host_test.cc"
  DEPS salesradar_api_test_env salesradar_api fmt::fmt
  LABELS api)
salesradar_add_pg_variant(api_event_engine_host_test)

foreach(api_event_test IN ITEMS event alert stream)
  file(GLOB api_event_sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/${api_event_test}_*test.cc")
  list(FILTER api_event_sources EXCLUDE REGEX "event_engine_host_test\\.cc$")
  if(api_event_sources)
    salesradar_add_test(api_${api_event_test}_test
      SOURCES ${api_event_sources}
      DEPS salesradar_api_test_env salesradar_api fmt::fmt
      LABELS api)
    salesradar_add_pg_variant(api_${api_event_test}_test)
  endif()
endforeach()

# The durability test kills the built `salesradar serve` with SIGKILL and restarts it.
salesradar_add_test(api_durability_test
  SOURCES "${CMAKE_CURRENT_LIST_DIR}/durability_sigkill_test.cc"
  DEPS salesradar_api_test_env salesradar_api fmt::fmt
  LABELS api)
if(TARGET salesradar)
  add_dependencies(api_durability_test salesradar)
endif()
