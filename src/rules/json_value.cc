#include "rules/json_value.h"

#include <limits>
#include <string>

#include "cel/containers.h"
#include "cel/time_util.h"

namespace salesradar::rules {
namespace {

using nlohmann::json;

class JsonList final : public cel::ListValue {
 public:
  JsonList(const json* array, cel::Arena* arena) : array_(array), arena_(arena) {}
  size_t size() const override { return array_->size(); }
  cel::Value Get(size_t index) const override { return JsonToCel((*array_)[index], *arena_); }

 private:
  const json* array_;
  cel::Arena* arena_;
};

class JsonMap final : public cel::MapValue {
 public:
  JsonMap(const json* object, cel::Arena* arena) : object_(object), arena_(arena) {}
  size_t size() const override { return object_->size(); }

  // NOTE: walks the object from its start, so iterating all keys is quadratic; payloads are
  // small enough for that.
  cel::Value KeyAt(size_t index) const override {
    auto it = object_->begin();
    std::advance(it, static_cast<std::ptrdiff_t>(index));
    return cel::Value::String(it.key());
  }

  std::optional<cel::Value> Find(const cel::Value& key) const override {
    if (key.kind() != cel::ValueKind::kString) return std::nullopt;
    auto it = object_->find(std::string(key.string_value()));
    if (it == object_->end()) return std::nullopt;
    return JsonToCel(*it, *arena_);
  }

 private:
  const json* object_;
  cel::Arena* arena_;
};

bool IsMoneyObject(const json& object) {
  if (object.size() != 2) return false;
  auto fen = object.find("fen");
  auto currency = object.find("currency");
  if (fen == object.end() || currency == object.end()) return false;
  if (!fen->is_number_integer() || !currency->is_string()) return false;

  const std::string& code = currency->get_ref<const std::string&>();
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

cel::Value MoneyOf(const json& object) {
  cel::Money money;
  money.minor_units = object.at("fen").get<int64_t>();
  const std::string& code = object.at("currency").get_ref<const std::string&>();
  for (size_t i = 0; i < 3; ++i) money.currency[i] = code[i];
  return cel::Value::MoneyValue(money);
}

}  // namespace

cel::Value JsonObjectToCelMap(const json& object, cel::Arena& arena) {
  JsonMap* map = arena.New<JsonMap>(&object, &arena);
  if (map == nullptr) return cel::Value::Error(cel::kOutOfMemoryMessage);
  return cel::Value::Map(map);
}

cel::Value JsonToCel(const json& value, cel::Arena& arena) {
  switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
      return cel::Value::Null();
    case json::value_t::boolean:
      return cel::Value::Bool(value.get<bool>());
    case json::value_t::number_integer:
      return cel::Value::Int(value.get<int64_t>());
    case json::value_t::number_unsigned: {
      uint64_t number = value.get<uint64_t>();
      if (number <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return cel::Value::Int(static_cast<int64_t>(number));
      }
      return cel::Value::Uint(number);
    }
    case json::value_t::number_float:
      return cel::Value::Double(value.get<double>());
    case json::value_t::string:
      return cel::Value::String(value.get_ref<const std::string&>());
    case json::value_t::binary:
      return cel::Value::Error("binary JSON values are not supported");
    case json::value_t::array: {
      JsonList* list = arena.New<JsonList>(&value, &arena);
      if (list == nullptr) return cel::Value::Error(cel::kOutOfMemoryMessage);
      return cel::Value::List(list);
    }
    case json::value_t::object:
      if (IsMoneyObject(value)) return MoneyOf(value);
      return JsonObjectToCelMap(value, arena);
  }
  return cel::Value::Null();
}

cel::Value JsonToCelAs(const json& value, const cel::Type& type, cel::Arena& arena) {
  if (type.kind == cel::Type::Kind::kTimestamp && value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    std::optional<cel::Time> time = cel::ParseTimestamp(text);
    if (!time) return cel::MakeError(arena, {"invalid RFC 3339 timestamp '", text, "'"});
    return cel::Value::Timestamp(*time);
  }
  return JsonToCel(value, arena);
}

std::string_view JsonRecord::TypeName() const { return type_->name; }

std::optional<cel::Value> JsonRecord::Field(std::string_view name, cel::Arena& arena) const {
  const cel::FieldDecl* field = type_->FindField(name);
  if (field == nullptr) return std::nullopt;

  if (fields_ == nullptr || !fields_->is_object()) return cel::Value::Null();
  auto it = fields_->find(std::string(name));
  if (it == fields_->end()) return cel::Value::Null();
  return JsonToCelAs(*it, field->type, arena);
}

bool JsonRecord::HasField(std::string_view name) const {
  if (type_->FindField(name) == nullptr) return false;
  if (fields_ == nullptr || !fields_->is_object()) return false;

  auto it = fields_->find(std::string(name));
  return it != fields_->end() && !it->is_null();
}

}  // namespace salesradar::rules
