# Every C++ dependency comes from a Debian package; scripts/setup.sh installs them.

find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n data)
find_package(GTest REQUIRED)
pkg_check_modules(UCHARDET REQUIRED IMPORTED_TARGET uchardet)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# libzip and expat read XLSX files (a ZIP archive of XML parts) in the importer.
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
find_package(EXPAT REQUIRED)
# libcurl (Debian libcurl4-openssl-dev) sends robot and webhook posts and SMTP mail with STARTTLS.
find_package(CURL REQUIRED)
# Boost.Beast and Asio are header-only. Boost.System has been header-only since Boost 1.69, so
# with Debian's Boost 1.74 nothing from Boost is linked.
find_package(Boost 1.74 REQUIRED)
# toml++ (server configuration file); Debian ships it as a shared library, not header-only.
find_package(tomlplusplus REQUIRED)
# libpq, the PostgreSQL client library (Debian libpq-dev); the store links it.
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
if(SALESRADAR_BENCH)
  find_package(benchmark REQUIRED)
endif()
# tcmalloc (Debian libgoogle-perftools-dev; the minimal variant, without the heap profiler)
# replaces glibc malloc in the executables. The rules engine allocates many small alert and
# change records, and replays them about a quarter faster with it (docs/benchmarks.md).
option(SALESRADAR_TCMALLOC "Link the executables with tcmalloc instead of glibc malloc" ON)
if(SALESRADAR_TCMALLOC)
  pkg_check_modules(TCMALLOC REQUIRED IMPORTED_TARGET libtcmalloc_minimal)
endif()

# cctz (time zones) ships neither a CMake config nor a pkg-config file on Debian 12.
find_path(CCTZ_INCLUDE_DIR cctz/time_zone.h REQUIRED)
find_library(CCTZ_LIBRARY cctz REQUIRED)
add_library(cctz::cctz UNKNOWN IMPORTED)
set_target_properties(cctz::cctz PROPERTIES
  IMPORTED_LOCATION "${CCTZ_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${CCTZ_INCLUDE_DIR}")
