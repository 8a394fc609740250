// What the event, alert and stream tests share: a rule pack with one condition rule, leads owned
// by the seeded reps, events in the API's JSON form, and alert ids for paths.
#pragma once

#include <cctype>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/api_context.h"
#include "api/engine_host.h"
#include "api/store_pool.h"
#include "api_test_env.h"
#include "model/entity.h"

namespace salesradar::api::testing {

// A score above 80 raises a yellow alert for the lead's owner; it turns orange after 1 hour and
// red, with a ticket for sales_ops, after 2 more hours.
inline constexpr std::string_view kHotLeadPack = R"(pack: api-test
version: 1
name: {zh: 接口测试, en: API test}
rules:
  - id: hot-lead
    name: {zh: 高分线索, en: Hot lead}
    subject: lead
    kind: condition
    trigger:
      event: lead_scored
      condition: event.payload.score > 80
    level: yellow
    escalation:
      - {after: 1h, level: orange}
      - {after: 2h, level: red}
    ticket: {department: sales_ops}
    recipients: [owner]
    message: {zh: "高分线索 {subject.name}", en: "hot lead {subject.name}"}
)";

// Stores lead `lead_id` owned by the seeded user `owner_login`.
inline void SeedLead(ApiTestEnv& env, const std::string& lead_id, std::string_view owner_login) {
  StoreLease store = env.Store();
  auto users = store->ListUsers();
  ASSERT_TRUE(users.ok());
  model::Reference reference;
  for (const model::User& user : *users) {
    if (user.id == env.UserId(owner_login)) reference = {user.id, user.external_id};
  }
  model::Record lead{model::EntityKind::kLead, lead_id,
                     {{"name", std::string("线索 ") + lead_id}, {"owner", reference}}, {}};
  auto results = store->Upsert(std::span<const model::Record>(&lead, 1));
  ASSERT_TRUE(results.ok()) << results.error().ToLogString();
  ASSERT_NE(results->front().outcome, store::UpsertOutcome::kRejected) << results->front().error->ToLogString();
}

inline nlohmann::json LeadScored(const std::string& id, const std::string& lead, int score) {
  return {{"id", id},
          {"type", "lead_scored"},
          {"occurred_at", "2026-03-01T09:00:00+08:00"},
          {"subject", {{"type", "lead"}, {"id", lead}}},
          {"payload", {{"score", score}}}};
}

// Percent-encodes every byte outside the unreserved set, so '/' becomes %2F.
inline std::string EncodePathSegment(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

inline void DrainEngine(ApiTestEnv& env) {
  Status drained = env.app().context().engine.Drain(std::chrono::seconds(10));
  ASSERT_TRUE(drained.ok()) << drained.error().ToLogString();
}

}  // namespace salesradar::api::testing
