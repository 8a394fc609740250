# POST /api/v1/events over HTTP on SQLite, on PostgreSQL with one node and with two nodes, in one
# run (intake_pg_bench --pg-url ...). See docs/benchmarks.md for the recorded figures.
add_executable(intake_pg_bench "${CMAKE_CURRENT_LIST_DIR}/intake_pg_bench.cc")
target_link_libraries(intake_pg_bench PRIVATE intake_load salesradar_api salesradar_store fmt::fmt PkgConfig::LIBPQ)
salesradar_set_warnings(intake_pg_bench)
