// Local fakes of the outside services the notify worker talks to, for tests only: one HTTP server
// on 127.0.0.1 (the project's own server::Server) with the WeCom, DingTalk and Feishu robot
// endpoints and a generic webhook receiver, each checking the JSON shape and the signature as
// the platform documents them and able to answer with the platform's rate-limit error; and an
// SMTP sink that speaks enough SMTP for libcurl to deliver a mail.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "server/http_server.h"

namespace salesradar::notify::testing {

struct Arrival {
  std::string platform;  // "wecom", "dingtalk", "feishu", "webhook"
  Timestamp at;          // the fake's clock when the request arrived
  nlohmann::json body;
  std::string delivery_id;  // X-SalesRadar-Delivery of webhooks
  bool accepted = false;    // shape and signature valid, and not answered with an error
  std::string problem;      // why it was not accepted
};

struct FakeOptions {
  const Clock* clock = nullptr;  // for arrival times and signature freshness; the system clock when null
  std::string wecom_key = "wecom-key";
  std::string dingtalk_token = "ding-token";
  std::string dingtalk_secret;  // empty: unsigned robot
  std::string feishu_token = "feishu-token";
  std::string feishu_secret;
  std::string webhook_secret = "whsec";
};

class FakePlatforms {
 public:
  explicit FakePlatforms(FakeOptions options);
  ~FakePlatforms();

  uint16_t port() const;
  std::string BaseUrl() const;  // "http://127.0.0.1:<port>"

  // The next `count` robot requests get the platform's rate-limit error.
  void RateLimitNext(int count) { rate_limit_next_ = count; }

  // Called for every arrival after it is recorded, on the server's thread (e.g. to kill a process).
  void OnArrival(std::function<void(const Arrival&)> callback);

  std::vector<Arrival> Arrivals() const;

 private:
  Arrival Record(Arrival arrival);
  bool TakeRateLimit();

  FakeOptions options_;
  std::unique_ptr<server::Server> server_;
  mutable std::mutex mutex_;
  std::vector<Arrival> arrivals_;
  std::function<void(const Arrival&)> on_arrival_;
  std::atomic<int> rate_limit_next_{0};
};

struct SinkMail {
  std::string from;
  std::vector<std::string> to;
  std::string data;  // headers and body as received, without the final "."
};

// Speaks EHLO, MAIL, RCPT, DATA, RSET, NOOP and QUIT; advertises no STARTTLS and no AUTH.
class SmtpSink {
 public:
  SmtpSink();
  ~SmtpSink();

  uint16_t port() const { return port_; }
  std::vector<SinkMail> Mails() const;

 private:
  void Serve();
  void Session(int fd);

  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<SinkMail> mails_;
};

}  // namespace salesradar::notify::testing
