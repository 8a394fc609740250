#include "bench/api/intake_load.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <span>
#include <thread>

#include <fmt/format.h>

#include "auth/password.h"
#include "auth/secret_token.h"
#include "server/test_client.h"

namespace salesradar::bench {

using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(fraction * static_cast<double>(values.size() - 1));
  return values[index];
}

nlohmann::json IntakeEventJson(const std::string& id, size_t n) {
  return {{"id", id},
          {"type", "visit_checked_in"},
          {"occurred_at", "2026-03-01T09:00:00+08:00"},
          {"subject", {{"type", "lead"}, {"id", fmt::format("L-{}", n % 1000)}}},
          {"payload", {{"duration_minutes", static_cast<int>(n % 90)}}}};
}

Result<std::string> SeedBenchToken(store::Store& store) {
  model::Record user{model::EntityKind::kUser, "bench-admin", {}, {}};
  user.fields["name"] = std::string("Bench");
  user.fields["role"] = std::string("admin");
  SR_ASSIGN_OR_RETURN(std::vector<store::UpsertResult> results, store.Upsert(std::span<const model::Record>(&user, 1)));
  if (results.front().outcome == store::UpsertOutcome::kRejected) return *results.front().error;

  // A token works only for a user with an enabled sign-in, so the bench user gets one.
  SR_ASSIGN_OR_RETURN(std::string password_hash, auth::HashPassword("bench-Passw0rd-2026"));
  store::Credentials credentials;
  credentials.user_id = results.front().id;
  credentials.login = "bench";
  credentials.password_hash = password_hash;
  SR_RETURN_IF_ERROR(store.CreateCredentials(credentials, store::AuditContext::System()));

  std::string secret = auth::GenerateApiToken();
  store::NewApiToken token;
  token.token_hash = auth::HashSecret(secret);
  token.name = "bench";
  token.user_id = results.front().id;
  SR_RETURN_IF_ERROR(store.CreateApiToken(token, store::AuditContext::System()));
  return secret;
}

Figures PostEvents(const std::vector<uint16_t>& ports, const std::string& token, size_t batch, size_t total,
                   int threads, const std::string& run_id, const std::string& label) {
  size_t requests = total / batch;
  std::atomic<size_t> next{0};
  std::atomic<size_t> failures{0};
  std::vector<std::vector<double>> latencies(threads);

  auto started = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      server::testing::TestClient client(ports[static_cast<size_t>(t) % ports.size()], std::chrono::seconds(30));
      server::testing::HeaderList headers = {{"Authorization", "Bearer " + token},
                                             {"Content-Type", batch == 1 ? "application/json" : "application/x-ndjson"}};
      while (true) {
        size_t request = next++;
        if (request >= requests) break;

        std::string body;
        for (size_t i = 0; i < batch; ++i) {
          size_t n = request * batch + i;
          body += IntakeEventJson(fmt::format("{}-{}-{}", run_id, batch, n), n).dump();
          if (batch > 1) body += "\n";
        }

        auto sent = Clock::now();
        Result<server::testing::HttpResult> response = client.Request("POST", "/api/v1/events", body, headers);
        latencies[t].push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
        if (!response.ok() || response->status != 200) ++failures;
      }
    });
  }
  for (std::thread& worker : workers) worker.join();

  Figures figures;
  figures.name =
      fmt::format("{}, {}", label, batch == 1 ? std::string("1 event per request") : fmt::format("NDJSON of {}", batch));
  figures.events = requests * batch;
  figures.failures = failures.load();
  figures.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  for (auto& part : latencies) figures.latencies_ms.insert(figures.latencies_ms.end(), part.begin(), part.end());
  return figures;
}

}  // namespace salesradar::bench
