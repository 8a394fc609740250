# POST /api/v1/events over HTTP (single events and NDJSON batches) next to Store::AppendEvents
# in process, in one run. See docs/benchmarks.md for the recorded figures.
add_executable(intake_bench "${CMAKE_CURRENT_LIST_DIR}/intake_bench.cc" "${PROJECT_SOURCE_DIR}/src/server/test_client.cc")
target_link_libraries(intake_bench PRIVATE salesradar_api salesradar_auth salesradar_store fmt::fmt
  nlohmann_json::nlohmann_json Boost::headers Threads::Threads)
target_compile_definitions(intake_bench PRIVATE BOOST_BEAST_USE_STD_STRING_VIEW BOOST_ASIO_NO_DEPRECATED)
salesradar_set_warnings(intake_bench)
