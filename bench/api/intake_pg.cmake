# POST /api/v1/events over HTTP on SQLite, on PostgreSQL with one node and with two nodes, in one
# run (intake_pg_bench --pg-url ...). See docs/benchmarks.md for the recorded figures.
add_executable(intake_pg_bench "${CMAKE_CURRENT_LIST_DIR}/intake_pg_bench.cc" "${PROJECT_SOURCE_DIR}/src/server/test_client.cc")
target_link_libraries(intake_pg_bench PRIVATE salesradar_api salesradar_auth salesradar_store fmt::fmt
  nlohmann_json::nlohmann_json Boost::headers Threads::Threads PkgConfig::LIBPQ)
target_compile_definitions(intake_pg_bench PRIVATE BOOST_BEAST_USE_STD_STRING_VIEW BOOST_ASIO_NO_DEPRECATED)
salesradar_set_warnings(intake_pg_bench)
