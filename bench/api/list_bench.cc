// The record list benchmark (list_bench): GET /api/v1/activities over HTTP on 127.0.0.1 against
// the same store query called in-process, on an SQLite file with many activities.
//
//   list_bench --activities 1000000 --clients 4 --seconds 5
//
// The database is made once per run: the org tree, users, accounts and opportunities through the
// store, then the activities by a raw SQLite insert loop in one transaction (the store's Upsert
// validates every record and would take most of the run). Requests sign in with API tokens of
// an admin and of a manager whose team owns about a third of the rows.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/app.h"
#include "api/record_filters.h"
#include "auth/password.h"
#include "auth/secret_token.h"
#include "server/test_client.h"
#include "store/store.h"

namespace salesradar::bench {
namespace {

using Clock = std::chrono::steady_clock;
using model::EntityKind;

struct Options {
  int64_t activities = 1'000'000;
  int opportunities = 20'000;
  int clients = 4;
  int server_threads = 2;
  double seconds = 5;
  std::string work_dir;
};

struct Seeded {
  std::string database;
  int64_t admin_id = 0;
  int64_t manager_id = 0;
  std::string admin_token;
  std::string manager_token;
};

// Exits with a message when `result` (a Result or Status) failed.
template <typename R>
void Check(const R& result, std::string_view what) {
  if (!result.ok()) {
    fmt::print(stderr, "list_bench: {}: {}\n", what, result.error().ToLogString());
    std::exit(1);
  }
}

int64_t UpsertOne(store::Store& store, const model::Record& record) {
  auto results = store.Upsert(std::span<const model::Record>(&record, 1));
  Check(results, "upsert " + record.external_id);
  if (results->front().outcome == store::UpsertOutcome::kRejected) {
    fmt::print(stderr, "list_bench: {} rejected: {}\n", record.external_id,
               results->front().error->message_en());
    std::exit(1);
  }
  return results->front().id;
}

model::Record Named(EntityKind kind, std::string external_id, std::string name) {
  model::Record record{kind, std::move(external_id), {}, {}};
  record.fields["name"] = std::move(name);
  return record;
}

// Org tree: hq -> east -> sh (mgr_sh and 4 reps), hq -> south -> gz (mgr_gz and 8 reps).
// Returns the rep ids; every third belongs to sh.
std::vector<int64_t> SeedPeople(store::Store& store, Seeded* seeded) {
  model::Record hq = Named(EntityKind::kOrgUnit, "hq", "总部");
  hq.fields["type"] = std::string("company");
  int64_t hq_id = UpsertOne(store, hq);
  auto unit = [&](const char* key, const char* name, const char* type, int64_t parent) {
    model::Record record = Named(EntityKind::kOrgUnit, key, name);
    record.fields["type"] = std::string(type);
    record.fields["parent"] = model::Reference{parent, ""};
    return UpsertOne(store, record);
  };
  int64_t east = unit("east", "华东大区", "region", hq_id);
  int64_t sh = unit("sh", "上海一组", "team", east);
  int64_t south = unit("south", "华南大区", "region", hq_id);
  int64_t gz = unit("gz", "广州一组", "team", south);

  auto user = [&](std::string key, const char* role, int64_t org_unit) {
    model::Record record = Named(EntityKind::kUser, key, "用户 " + key);
    record.fields["role"] = std::string(role);
    record.fields["org_unit"] = model::Reference{org_unit, ""};
    return UpsertOne(store, record);
  };
  seeded->admin_id = user("admin", "admin", hq_id);
  seeded->manager_id = user("mgr_sh", "manager", sh);
  user("mgr_gz", "manager", gz);
  std::vector<int64_t> reps;
  for (int i = 0; i < 12; ++i) {
    reps.push_back(user(fmt::format("rep{}", i), "rep", i % 3 == 0 ? sh : gz));
  }
  return reps;
}

std::string CreateToken(store::Store& store, int64_t user_id) {
  // A token works only for a user with an enabled sign-in, so the user gets one first.
  auto password_hash = auth::HashPassword("bench-Passw0rd-2026");
  Check(password_hash, "hash the password");
  store::Credentials credentials;
  credentials.user_id = user_id;
  credentials.login = fmt::format("bench-{}", user_id);
  credentials.password_hash = *password_hash;
  Check(store.CreateCredentials(credentials, store::AuditContext::System()), "create sign-in");

  std::string secret = auth::GenerateApiToken();
  store::NewApiToken token;
  token.token_hash = auth::HashSecret(secret);
  token.name = "bench";
  token.user_id = user_id;
  Check(store.CreateApiToken(token, store::AuditContext::System()), "create token");
  return secret;
}

// Inserts `count` activities on random opportunities in one transaction, bypassing the store.
void InsertActivities(const std::string& database, int64_t count,
                      const std::vector<int64_t>& opportunity_ids,
                      const std::vector<int64_t>& owner_of) {
  sqlite3* db = nullptr;
  if (sqlite3_open(database.c_str(), &db) != SQLITE_OK) {
    fmt::print(stderr, "list_bench: cannot open {}\n", database);
    std::exit(1);
  }
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO activities (external_id, type, actor_id, subject_type,"
                     " subject_id, occurred_at, subject_text, created_at, updated_at)"
                     " VALUES (?, ?, ?, 'opportunity', ?, ?, ?, ?, ?)",
                     -1, &insert, nullptr);
  std::mt19937_64 random(42);
  const int64_t start = 1'735'660'800'000'000;  // 2025-01-01T00:00:00+08:00
  const char* types[] = {"visit", "call", "email", "meeting"};
  for (int64_t i = 0; i < count; ++i) {
    size_t pick = random() % opportunity_ids.size();
    int64_t occurred = start + static_cast<int64_t>(random() % (365LL * 86'400'000'000));
    std::string external_id = fmt::format("act{}", i);
    std::string text = fmt::format("拜访记录 {} 讨论报价", i);
    sqlite3_bind_text(insert, 1, external_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, types[i % 4], -1, SQLITE_STATIC);
    sqlite3_bind_int64(insert, 3, owner_of[pick]);
    sqlite3_bind_int64(insert, 4, opportunity_ids[pick]);
    sqlite3_bind_int64(insert, 5, occurred);
    sqlite3_bind_text(insert, 6, text.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert, 7, occurred);
    sqlite3_bind_int64(insert, 8, occurred);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      fmt::print(stderr, "list_bench: insert failed: {}\n", sqlite3_errmsg(db));
      std::exit(1);
    }
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(db);
}

Seeded Seed(const Options& options) {
  Seeded seeded;
  seeded.database = (std::filesystem::path(options.work_dir) / "list_bench.db").string();
  std::filesystem::remove(seeded.database);
  std::filesystem::remove(seeded.database + "-wal");
  std::filesystem::remove(seeded.database + "-shm");

  store::OpenOptions open_options;
  open_options.audit_record_writes = false;
  auto opened = store::Open(seeded.database, open_options);
  Check(opened, "open " + seeded.database);
  store::Store& store = **opened;

  std::vector<int64_t> reps = SeedPeople(store, &seeded);
  std::vector<model::Record> records;
  for (int i = 0; i < options.opportunities / 4; ++i) {
    records.push_back(Named(EntityKind::kAccount, fmt::format("acc{}", i), fmt::format("客户 {}", i)));
  }
  for (int i = 0; i < options.opportunities; ++i) {
    model::Record record = Named(EntityKind::kOpportunity, fmt::format("opp{}", i),
                                 fmt::format("商机 {}", i));
    record.fields["stage"] = std::string(i % 10 == 0 ? "won" : "engaging");
    record.fields["owner"] = model::Reference{reps[i % reps.size()], ""};
    record.fields["account"] = model::Reference{0, fmt::format("acc{}", i / 4)};
    record.fields["amount"] = model::Money{(i % 50) * 100'000, "CNY"};
    records.push_back(std::move(record));
  }
  Check(store.Upsert(records), "upsert opportunities");

  std::vector<int64_t> opportunity_ids;
  std::vector<int64_t> owner_of;
  for (int i = 0; i < options.opportunities; ++i) {
    auto id = store.FindIdByExternalId(EntityKind::kOpportunity, fmt::format("opp{}", i));
    opportunity_ids.push_back(**id);
    owner_of.push_back(reps[i % reps.size()]);
  }
  seeded.admin_token = CreateToken(store, seeded.admin_id);
  seeded.manager_token = CreateToken(store, seeded.manager_id);
  opened->reset();

  InsertActivities(seeded.database, options.activities, opportunity_ids, owner_of);
  return seeded;
}

struct Scenario {
  std::string name;
  bool manager = false;
  store::RecordQuery query;
};

// Returns `query` positioned after `rows` rows for `viewer`, walking pages in-process.
store::RecordQuery QueryAfter(store::Store& store, store::RecordQuery query,
                              const auth::Viewer* viewer, int64_t rows) {
  store::RecordQuery walk = query;
  walk.limit = 1000;
  for (int64_t walked = 0; walked < rows; walked += walk.limit) {
    auto page = store.ListRecords(walk, viewer);
    Check(page, "walk pages");
    if (!page->next) {
      break;
    }
    walk.after = page->next;
  }
  query.after = walk.after;
  return query;
}

std::string QueryText(const store::RecordQuery& query) {
  std::string text = fmt::format("limit={}", query.limit);
  if (query.after) {
    text += "&cursor=" + api::EncodeRecordCursor(query.sort, *query.after);
  }
  return text;
}

struct Measured {
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int64_t errors = 0;
};

// Runs `work` on `threads` threads for `seconds` and returns the rate and latency percentiles.
template <typename Work>
Measured RunThreads(int threads, double seconds, Work make_worker) {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> errors{0};
  std::vector<std::vector<double>> latencies(threads);
  std::vector<std::thread> pool;
  auto started = Clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto worker = make_worker(t);
      while (!stop.load()) {
        auto begin = Clock::now();
        if (!worker()) {
          errors.fetch_add(1);
        }
        latencies[t].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop.store(true);
  for (std::thread& thread : pool) {
    thread.join();
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();

  std::vector<double> all;
  for (const auto& part : latencies) {
    all.insert(all.end(), part.begin(), part.end());
  }
  std::sort(all.begin(), all.end());
  Measured measured;
  measured.per_second = static_cast<double>(all.size()) / elapsed;
  if (!all.empty()) {
    measured.p50_ms = all[all.size() / 2];
    measured.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  measured.errors = errors.load();
  return measured;
}

int Run(const Options& options) {
  fmt::print("list_bench: seeding {} activities in {}\n", options.activities, options.work_dir);
  auto seed_start = Clock::now();
  Seeded seeded = Seed(options);
  fmt::print("list_bench: seeded in {:.1f} s\n",
             std::chrono::duration<double>(Clock::now() - seed_start).count());

  auto opened = store::Open(seeded.database);
  Check(opened, "open");
  store::Store& store = **opened;
  auto manager_viewer = store.ViewerForUser(seeded.manager_id);
  Check(manager_viewer, "manager viewer");

  store::RecordQuery newest;
  newest.kind = EntityKind::kActivity;
  newest.sort = store::DefaultSort(EntityKind::kActivity);
  newest.limit = 50;
  const int64_t deep = options.activities / 2;
  store::RecordQuery admin_deep = QueryAfter(store, newest, nullptr, deep);
  store::RecordQuery manager_deep = QueryAfter(store, newest, &*manager_viewer, deep / 3);

  std::vector<Scenario> scenarios = {
      {"admin, first page", false, newest},
      {fmt::format("admin, page after {} rows", deep), false, admin_deep},
      {"manager, first page", true, newest},
      {fmt::format("manager, page after {} rows", deep / 3), true, manager_deep},
  };

  server::ServerConfig config;
  config.listen.host = "127.0.0.1";
  config.listen.port = 0;
  config.threads = options.server_threads;
  config.data_dir = options.work_dir;
  config.database = seeded.database;
  config.log_level = "warn";
  auto app = api::App::Start(config);
  Check(app, "start app");
  uint16_t port = (*app)->port();

  fmt::print("\n{} activities, {} client threads, {} server threads, {:.0f} s per row\n",
             options.activities, options.clients, options.server_threads, options.seconds);
  fmt::print("{:<36} {:>12} {:>9} {:>9} {:>14}\n", "GET /api/v1/activities", "HTTP req/s",
             "p50 ms", "p99 ms", "in-process q/s");
  for (const Scenario& scenario : scenarios) {
    std::string target = "/api/v1/activities?" + QueryText(scenario.query);
    std::string token = scenario.manager ? seeded.manager_token : seeded.admin_token;
    Measured http = RunThreads(options.clients, options.seconds, [&](int) {
      auto client = std::make_shared<server::testing::TestClient>(port, std::chrono::seconds(30));
      server::testing::HeaderList headers = {{"Authorization", "Bearer " + token}};
      return [client, target, headers] {
        auto response = client->Request("GET", target, "", headers);
        return response.ok() && response->status == 200;
      };
    });

    const auth::Viewer* viewer = scenario.manager ? &*manager_viewer : nullptr;
    Measured local = RunThreads(options.clients, options.seconds, [&](int) {
      auto opened_own = store::Open(seeded.database);
      Check(opened_own, "open for a baseline thread");
      std::shared_ptr<store::Store> own(std::move(opened_own).value());
      store::RecordQuery query = scenario.query;
      return [own, query, viewer] { return own->ListRecords(query, viewer).ok(); };
    });
    fmt::print("{:<36} {:>12.0f} {:>9.2f} {:>9.2f} {:>14.0f}{}\n", scenario.name, http.per_second,
               http.p50_ms, http.p99_ms, local.per_second,
               http.errors + local.errors > 0
                   ? fmt::format("  ({} errors)", http.errors + local.errors)
                   : "");
  }
  (*app)->Stop();
  return 0;
}

}  // namespace
}  // namespace salesradar::bench

int main(int argc, char** argv) {
  salesradar::bench::Options options;
  CLI::App cli("GET /api/v1/activities over HTTP against the same store query in-process");
  cli.add_option("--activities", options.activities, "activities to store");
  cli.add_option("--opportunities", options.opportunities, "opportunities they concern");
  cli.add_option("--clients", options.clients, "client threads (and in-process threads)");
  cli.add_option("--server-threads", options.server_threads, "HTTP server I/O threads");
  cli.add_option("--seconds", options.seconds, "measuring time per scenario and side, seconds");
  cli.add_option("--work-dir", options.work_dir, "directory for the database (default: a temp dir)");
  CLI11_PARSE(cli, argc, argv);

  if (options.work_dir.empty()) {
    options.work_dir = (std::filesystem::temp_directory_path() / "salesradar-list-bench").string();
  }
  std::filesystem::create_directories(options.work_dir);
  return salesradar::bench::Run(options);
}
