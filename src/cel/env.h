// The declarations an expression is compiled against: variables, object types with their
// fields, functions, and the container (namespace) that names resolve in.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cel/ast.h"
#include "cel/functions.h"
#include "cel/type.h"

namespace salesradar::cel {

struct FieldDecl {
  std::string name;
  Type type;
};

// An object type such as "Opportunity" with its fields, custom fields included.
struct MessageDecl {
  std::string name;
  std::vector<FieldDecl> fields;

  // Returns the field named `field`, or nullptr.
  const FieldDecl* FindField(std::string_view field) const;
};

class Env {
 public:
  // Returns an environment with the standard library, the strings extension and the money
  // extension, and no variables.
  static Env Standard();

  // Declares a variable; a later declaration of the same name replaces the earlier one.
  Env& DeclareVariable(std::string name, Type type);
  // Declares an object type; its name becomes a type value in expressions as well.
  Env& DeclareMessage(MessageDecl message);
  // Sets the container, e.g. "com.example", so that `y` also resolves as "com.example.y".
  Env& SetContainer(std::string container);
  // Adds a function overload, for example one the application provides.
  Env& AddFunction(Overload overload);

  // Returns the declared variable's type, or nullptr.
  const Type* FindVariable(std::string_view name) const;
  const MessageDecl* FindMessage(std::string_view name) const;
  const std::string& container() const { return container_; }
  const FunctionRegistry& functions() const { return functions_; }
  FunctionRegistry& mutable_functions() { return functions_; }
  const std::map<std::string, Type, std::less<>>& variables() const { return variables_; }
  const std::map<std::string, MessageDecl, std::less<>>& messages() const { return messages_; }

  // Returns the candidate full names of `name` in the container, most qualified first: for
  // container "a.b" and name "x", "a.b.x", "a.x", "x". A name with a leading '.' names the
  // root only.
  std::vector<std::string> CandidateNames(std::string_view name) const;

 private:
  std::map<std::string, Type, std::less<>> variables_;
  std::map<std::string, MessageDecl, std::less<>> messages_;
  std::string container_;
  FunctionRegistry functions_;
};

// Returns the type that a built-in type name denotes ("int", "google.protobuf.Timestamp",
// "list" ...) or nullptr when `name` is none of them.
const Type* BuiltinTypeNamed(std::string_view name);

// Registration of the function libraries, one per source file.
void RegisterOperators(FunctionRegistry& registry);
void RegisterComparisons(FunctionRegistry& registry);
void RegisterConversions(FunctionRegistry& registry);
void RegisterStringFunctions(FunctionRegistry& registry);
void RegisterTimeFunctions(FunctionRegistry& registry);
void RegisterStringsExtension(FunctionRegistry& registry);
void RegisterMoney(FunctionRegistry& registry);

}  // namespace salesradar::cel
