// The audit trail's types and its hash chain, the same for every backend.
//
// Every write through the Store appends audit rows in the same transaction as the write. Each
// row carries the hash of the row before it in prev_hash, and the first row carries
// kAuditGenesisHash there. A row's own hash is the SHA-256 of CanonicalAuditRow, written as 64
// lower-case hex digits.
//
// Canonical serialisation, version 1: the line "salesradar-audit-v1", then the fields id, at,
// actor, action, entity_kind, entity_id, before_json, after_json, request_id, prev_hash in this
// order, each as "<byte length>:<bytes>\n", or "~\n" for a NULL before_json or after_json. The
// integers id and at (UTC microseconds since the Unix epoch) are written in decimal. Length
// prefixes make the encoding unambiguous, so no two rows share a serialisation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/locale.h"

namespace salesradar::store {

// The hash that the first row's prev_hash carries: 64 zeros.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The actor recorded in the audit rows of one write.
struct AuditContext {
  std::string actor = "system";  // "user:<id>", "token:<id>", "system" or "import"
  std::string request_id;        // the HTTP request id or import job id; may be empty

  static AuditContext System() { return {}; }
  static AuditContext User(int64_t user_id, std::string request_id = {}) {
    return {"user:" + std::to_string(user_id), std::move(request_id)};
  }
  static AuditContext Token(int64_t token_id, std::string request_id = {}) {
    return {"token:" + std::to_string(token_id), std::move(request_id)};
  }
  static AuditContext Import(std::string job_id = {}) { return {"import", std::move(job_id)}; }
};

// The content of one audit row, before the store numbers, timestamps and chains it.
struct AuditEvent {
  std::string action;       // "insert", "update", "create", "revoke", "delete", ...
  std::string entity_kind;  // "opportunity", "credentials", "api_token", "session", ...
  std::string entity_id;    // the row id in decimal, or another key the kind documents
  std::optional<std::string> before_json;  // the state before, or nullopt (an insert)
  std::optional<std::string> after_json;   // the state after, or nullopt (a deletion)
};

// One stored audit row.
struct AuditEntry {
  int64_t id = 0;
  Timestamp at;
  std::string actor;
  std::string action;
  std::string entity_kind;
  std::string entity_id;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
  std::string request_id;
  std::string prev_hash;
  std::string hash;
};

// Returns the canonical serialisation of `entry` described above. `entry.hash` is not part of it.
std::string CanonicalAuditRow(const AuditEntry& entry);

// Returns the SHA-256 of CanonicalAuditRow(entry), as 64 lower-case hex digits.
std::string ComputeAuditHash(const AuditEntry& entry);

// The result of VerifyAuditChain.
struct AuditChainReport {
  int64_t rows_checked = 0;          // rows read, up to and including a broken one
  int64_t last_id = 0;               // the id of the last row read (0 for an empty log)
  std::string last_hash;             // its hash; record it to detect a later cut of the tail
  std::optional<int64_t> broken_id;  // the first row that breaks the chain, when one does
  LocalizedText problem;             // what is wrong with that row; empty when intact

  bool ok() const { return !broken_id.has_value(); }
};

// Checks one row against the chain: its id must be `expected_id` (ids have no gaps), its
// prev_hash must be `expected_prev_hash`, and its hash must match its content. Returns what is
// wrong, naming the row id, or std::nullopt when the row is sound.
std::optional<LocalizedText> CheckAuditRow(const AuditEntry& entry, int64_t expected_id,
                                           std::string_view expected_prev_hash);

}  // namespace salesradar::store
