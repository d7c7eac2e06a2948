// The raw statement tree: what the parser makes of CQL text before any schema is consulted.
// Names are already case-folded (unquoted identifiers to lower case, "Quoted" kept exactly);
// keyspaces are empty when the text did not name one. Nothing here is validated against the
// schema or against types: preparing a statement does that.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "types/cql_type.h"
#include "types/literal.h"

namespace cqld::ast {

// [keyspace.]name, as used for tables, types, indexes, views, functions and aggregates.
struct QualifiedName {
  std::string keyspace;  // empty: the session's keyspace
  std::string name;
};

// A type as written. User types are only names here; prepare resolves them in a keyspace.
struct RawType {
  // Native types use the TypeKind of the type ("varchar" and "text" are both kVarchar);
  // kList/kSet/kMap/kTuple have params; kUdt names a user type; kCustom is a 'java.Class';
  // kVector is Cassandra 5's vector<element, dimension> (params: 1; the dimension as written).
  TypeKind kind = TypeKind::kBlob;
  bool frozen = false;          // written inside frozen<...>
  std::vector<RawType> params;  // list/set/vector: 1, map: 2, tuple: n
  QualifiedName udt;            // kUdt only
  std::string custom_class;     // kCustom only
  int vector_dimension = 0;     // vector<type, n> only
};

enum class ArithmeticOp : uint8_t { kAdd, kSubtract, kMultiply, kDivide, kModulo };

// A value expression in a statement: a constant, a bind marker, or something built from them.
// A collection whose elements are all constants is still a kList/kSet/kMap/... term;
// term_to_literal() (parser.h) turns an all-constant tree into one Literal.
struct Term {
  enum class Kind : uint8_t {
    kLiteral,       // literal: a scalar constant or NULL (never a collection kind)
    kBindMarker,    // ? or :name; bind_index, bind_name
    kFunctionCall,  // function(children...), e.g. now(), token(a, b), minTimeuuid(x)
    kTypeHint,      // (type) children[0]
    kList,          // [children...]
    kSet,           // {children...}
    kMap,           // {k: v, ...}: children alternate key, value; {} is an empty kMap
    kTuple,         // (children...)
    kUdt,           // {field: value, ...}: field_names parallel to children
    kArithmetic,    // children[0] op children[1]
    kNegate,        // -children[0] (unary minus on something other than a numeric constant)
  };
  Kind kind = Kind::kLiteral;
  Literal literal;                       // kLiteral
  int bind_index = -1;                   // kBindMarker: 0-based order of appearance in the text
  std::string bind_name;                 // kBindMarker: the name of :name, empty for ?
  QualifiedName function;                // kFunctionCall
  RawType type;                          // kTypeHint
  ArithmeticOp op = ArithmeticOp::kAdd;  // kArithmetic
  std::vector<Term> children;
  std::vector<std::string> field_names;  // kUdt
};

// One item of a SELECT clause (also the arguments of function calls there).
struct Selector {
  enum class Kind : uint8_t {
    kColumn,        // column
    kTerm,          // a constant or bind marker used as a selector (term)
    kFunctionCall,  // function(children...)
    kCountRows,     // COUNT(*) or COUNT(1)
    kWritetime,     // WRITETIME(column): children[0] is the kColumn
    kMaxWritetime,  // MAXWRITETIME(column)
    kTtl,           // TTL(column)
    kCast,          // CAST(children[0] AS type)
    kFieldAccess,   // children[0].field
    kElement,       // children[0][term]
    kSlice,         // children[0][slice_from..slice_to]; either bound may be absent
    kArithmetic,    // children[0] op children[1]
    kNegate,        // -children[0]
    kTypeHint,      // (type) children[0]
  };
  Kind kind = Kind::kColumn;
  std::string column;                    // kColumn; kFieldAccess: the field name
  std::optional<Term> term;              // kTerm; kElement: the key or index
  QualifiedName function;                // kFunctionCall
  RawType type;                          // kCast, kTypeHint
  ArithmeticOp op = ArithmeticOp::kAdd;  // kArithmetic
  std::optional<Term> slice_from;        // kSlice
  std::optional<Term> slice_to;          // kSlice
  std::vector<Selector> children;
  bool parenthesized = false;  // written inside ( ), which its result name keeps
};

struct SelectItem {
  Selector selector;
  std::string alias;  // empty when no AS
};

enum class Operator : uint8_t {
  kEq,
  kLt,
  kLte,
  kGt,
  kGte,
  kNeq,
  kIn,
  kContains,
  kContainsKey,
  kLike,
  kIsNotNull,  // IS NOT NULL (value is absent)
};

// One WHERE restriction.
struct Relation {
  enum class Kind : uint8_t {
    kSingle,       // column op value, or column[map_key] op value
    kToken,        // token(columns...) op value
    kMultiColumn,  // (columns...) op value, value being a tuple term or a marker
  };
  Kind kind = Kind::kSingle;
  std::vector<std::string> columns;  // kSingle: exactly one
  std::optional<Term> map_key;       // kSingle: m['k'] = v
  Operator op = Operator::kEq;
  // The right-hand side. For IN it is either a marker (IN ?) in value, or a parenthesized list
  // in in_values (for kMultiColumn each is a kTuple term or marker); value is then absent.
  std::optional<Term> value;
  std::vector<Term> in_values;
};

// One IF condition of a conditional update or delete.
struct Condition {
  std::string column;
  std::optional<Term> element;  // column[element] op value
  std::string field;            // column.field op value (empty when not a field)
  Operator op = Operator::kEq;  // = < <= > >= != IN (and CONTAINS, CONTAINS KEY)
  std::optional<Term> value;    // as in Relation: absent only for IN (...) with in_values
  std::vector<Term> in_values;
};

// USING TTL / TIMESTAMP (either order, joined by AND).
struct UsingClause {
  std::optional<Term> ttl;
  std::optional<Term> timestamp;
};

// One SET item of an UPDATE.
struct Assignment {
  enum class Kind : uint8_t {
    kSet,         // c = value
    kSetElement,  // c[key] = value
    kSetField,    // c.field = value
    kAdd,         // c = c + value, c += value (counters, collections)
    kSubtract,    // c = c - value, c -= value
    kPrepend,     // c = value + c (lists)
  };
  Kind kind = Kind::kSet;
  std::string column;
  std::optional<Term> key;  // kSetElement
  std::string field;        // kSetField
  Term value;
};

// One item before FROM in a DELETE: a whole column, an element c[key], or a field c.field.
struct Deletion {
  std::string column;
  std::optional<Term> key;
  std::string field;
};

// A WITH property: name = constant | {map}. Values are kString, kInteger, kFloat, kBoolean,
// or kMap literals (whose elements are such constants).
struct Property {
  std::string name;
  Literal value;
};

struct OrderingItem {
  std::string column;
  bool descending = false;
  std::optional<Term> ann_of;  // ORDER BY column ANN OF vector (Cassandra 5 vector search)
};

// ---- Data manipulation ----

struct SelectStatement {
  QualifiedName table;
  bool json = false;
  bool distinct = false;
  bool select_all = false;            // SELECT *
  std::vector<SelectItem> selectors;  // empty when select_all
  std::vector<Relation> where;
  std::vector<std::string> group_by;
  std::vector<OrderingItem> order_by;
  std::optional<Term> per_partition_limit;
  std::optional<Term> limit;
  bool allow_filtering = false;
};

struct InsertStatement {
  QualifiedName table;
  std::vector<std::string> columns;  // (cols) VALUES (values)
  std::vector<Term> values;
  std::optional<Term> json;         // INSERT ... JSON 'text' | ?; columns/values empty then
  bool json_default_unset = false;  // DEFAULT UNSET (DEFAULT NULL is the default)
  bool if_not_exists = false;
  UsingClause using_clause;
};

struct UpdateStatement {
  QualifiedName table;
  UsingClause using_clause;
  std::vector<Assignment> assignments;
  std::vector<Relation> where;
  bool if_exists = false;
  std::vector<Condition> conditions;
};

struct DeleteStatement {
  std::vector<Deletion> deletions;  // empty: the whole row(s)
  QualifiedName table;
  UsingClause using_clause;  // TIMESTAMP only
  std::vector<Relation> where;
  bool if_exists = false;
  std::vector<Condition> conditions;
};

using BatchChild = std::variant<InsertStatement, UpdateStatement, DeleteStatement>;

struct BatchStatement {
  enum class Type : uint8_t { kLogged, kUnlogged, kCounter };
  Type type = Type::kLogged;
  UsingClause using_clause;
  std::vector<BatchChild> statements;
};

struct UseStatement {
  std::string keyspace;
};

struct TruncateStatement {
  QualifiedName table;
};

// ---- Keyspaces, tables, types, indexes ----

struct CreateKeyspaceStatement {
  std::string keyspace;
  bool if_not_exists = false;
  std::vector<Property> properties;
};

struct AlterKeyspaceStatement {
  std::string keyspace;
  bool if_exists = false;
  std::vector<Property> properties;
};

struct DropKeyspaceStatement {
  std::string keyspace;
  bool if_exists = false;
};

// Dynamic data masking: MASKED WITH DEFAULT | MASKED WITH function(arguments).
struct ColumnMask {
  bool is_default = false;
  QualifiedName function;
  std::vector<Term> arguments;
};

struct ColumnDefinition {
  std::string name;
  RawType type;
  bool is_static = false;
  std::optional<ColumnMask> mask;
  bool primary_key = false;  // "col type PRIMARY KEY"
};

struct CreateTableStatement {
  QualifiedName table;
  bool if_not_exists = false;
  std::vector<ColumnDefinition> columns;
  // From PRIMARY KEY ((a, b), c, d); both empty when only a column says PRIMARY KEY.
  std::vector<std::string> partition_key;
  std::vector<std::string> clustering_columns;
  std::vector<Property> properties;
  std::vector<OrderingItem> clustering_order;
  bool compact_storage = false;
};

struct AlterTableStatement {
  enum class Action : uint8_t {
    kAdd,                 // ADD [IF NOT EXISTS] col type [, ...] / ADD (col type, ...)
    kDrop,                // DROP [IF EXISTS] col / DROP (cols) [USING TIMESTAMP t]
    kRename,              // RENAME [IF EXISTS] a TO b [AND c TO d]
    kAlterColumnType,     // ALTER col TYPE type
    kAlterColumnMask,     // ALTER col [IF EXISTS] MASKED WITH ... | DROP MASKED
    kWith,                // WITH properties
    kDropCompactStorage,  // DROP COMPACT STORAGE
  };
  QualifiedName table;
  bool if_exists = false;  // ALTER TABLE IF EXISTS
  Action action = Action::kWith;
  bool if_column_exists = false;      // ADD IF NOT EXISTS / DROP IF EXISTS / RENAME IF EXISTS
  std::vector<ColumnDefinition> add;  // kAdd
  std::vector<std::string> drop;      // kDrop
  std::optional<Term> drop_timestamp;
  std::vector<std::pair<std::string, std::string>> renames;  // kRename
  std::string column;                                        // kAlterColumnType, kAlterColumnMask
  RawType type;                                              // kAlterColumnType
  std::optional<ColumnMask> mask;    // kAlterColumnMask: absent for DROP MASKED
  std::vector<Property> properties;  // kWith
};

struct DropTableStatement {
  QualifiedName table;
  bool if_exists = false;
};

struct IndexTarget {
  enum class Kind : uint8_t { kSimple, kKeys, kValues, kEntries, kFull };
  Kind kind = Kind::kSimple;
  std::string column;
};

struct CreateIndexStatement {
  std::string name;  // empty: derived from the table and column
  QualifiedName table;
  bool custom = false;
  bool if_not_exists = false;
  std::vector<IndexTarget> targets;
  std::string using_class;           // USING 'class' (empty when absent)
  std::vector<Property> properties;  // WITH OPTIONS = {...} arrives as a property "options"
};

struct DropIndexStatement {
  QualifiedName index;
  bool if_exists = false;
};

struct CreateTypeStatement {
  QualifiedName type;
  bool if_not_exists = false;
  std::vector<std::pair<std::string, RawType>> fields;
};

struct AlterTypeStatement {
  enum class Action : uint8_t { kAdd, kRename, kAlterFieldType };
  QualifiedName type;
  bool if_exists = false;
  Action action = Action::kAdd;
  bool if_field_exists = false;                              // ADD IF NOT EXISTS / RENAME IF EXISTS
  std::string field;                                         // kAdd, kAlterFieldType
  RawType field_type;                                        // kAdd, kAlterFieldType
  std::vector<std::pair<std::string, std::string>> renames;  // kRename
};

struct DropTypeStatement {
  QualifiedName type;
  bool if_exists = false;
};

// ---- Views, functions, aggregates, triggers ----

struct CreateMaterializedViewStatement {
  QualifiedName view;
  bool if_not_exists = false;
  bool select_all = false;
  std::vector<SelectItem> selectors;
  QualifiedName base_table;
  std::vector<Relation> where;
  std::vector<std::string> partition_key;
  std::vector<std::string> clustering_columns;
  std::vector<Property> properties;
  std::vector<OrderingItem> clustering_order;
};

struct AlterMaterializedViewStatement {
  QualifiedName view;
  bool if_exists = false;
  std::vector<Property> properties;
};

struct DropMaterializedViewStatement {
  QualifiedName view;
  bool if_exists = false;
};

struct CreateFunctionStatement {
  QualifiedName function;
  bool or_replace = false;
  bool if_not_exists = false;
  std::vector<std::pair<std::string, RawType>> arguments;
  bool called_on_null_input = false;  // CALLED ON NULL INPUT vs RETURNS NULL ON NULL INPUT
  RawType return_type;
  std::string language;
  std::string body;
};

struct DropFunctionStatement {
  QualifiedName function;
  bool if_exists = false;
  std::optional<std::vector<RawType>> argument_types;  // present when a signature was given
};

struct CreateAggregateStatement {
  QualifiedName aggregate;
  bool or_replace = false;
  bool if_not_exists = false;
  std::vector<RawType> argument_types;
  std::string state_function;  // SFUNC (a name in the aggregate's keyspace)
  RawType state_type;
  std::string final_function;  // FINALFUNC (empty when absent)
  std::optional<Term> initial_condition;
};

struct DropAggregateStatement {
  QualifiedName aggregate;
  bool if_exists = false;
  std::optional<std::vector<RawType>> argument_types;
};

struct CreateTriggerStatement {
  std::string name;
  QualifiedName table;
  bool if_not_exists = false;
  std::string using_class;
};

struct DropTriggerStatement {
  std::string name;
  QualifiedName table;
  bool if_exists = false;
};

// ---- Roles, users and permissions ----

struct RoleOptions {
  std::optional<std::string> password;
  std::optional<std::string> hashed_password;
  std::optional<bool> login;
  std::optional<bool> superuser;
  std::optional<Literal> options;  // OPTIONS = {map}
  // ACCESS TO DATACENTERS {'dc'} / ACCESS TO ALL DATACENTERS
  std::optional<std::vector<std::string>> datacenters;  // empty vector: ALL
  // ACCESS FROM CIDRS {'group'} / ACCESS FROM ALL CIDRS
  std::optional<std::vector<std::string>> cidr_groups;  // empty vector: ALL
};

struct CreateRoleStatement {
  std::string role;
  bool if_not_exists = false;
  RoleOptions options;
};

struct AlterRoleStatement {
  std::string role;
  bool if_exists = false;
  RoleOptions options;
};

struct DropRoleStatement {
  std::string role;
  bool if_exists = false;
};

// CREATE USER / ALTER USER: the pre-role syntax; SUPERUSER/NOSUPERUSER map to options.superuser.
struct CreateUserStatement {
  std::string user;
  bool if_not_exists = false;
  RoleOptions options;
};

struct AlterUserStatement {
  std::string user;
  RoleOptions options;
};

struct DropUserStatement {
  std::string user;
  bool if_exists = false;
};

// The object of GRANT / REVOKE / LIST PERMISSIONS.
struct Resource {
  enum class Kind : uint8_t {
    kAllKeyspaces,  // ALL KEYSPACES
    kKeyspace,      // KEYSPACE ks
    kTable,         // [TABLE] [ks.]t
    kAllRoles,      // ALL ROLES
    kRole,          // ROLE r
    kAllFunctions,  // ALL FUNCTIONS [IN KEYSPACE ks]
    kFunction,      // FUNCTION [ks.]f(types)
    kAllMbeans,     // ALL MBEANS
    kMbean,         // MBEAN 'name' / MBEANS 'pattern'
  };
  Kind kind = Kind::kAllKeyspaces;
  QualifiedName name;                   // keyspace in name.keyspace for kKeyspace/kAllFunctions
  std::vector<RawType> argument_types;  // kFunction
};

struct GrantPermissionsStatement {
  std::vector<std::string> permissions;  // upper case: SELECT, MODIFY, ...; empty: ALL
  Resource resource;
  std::string grantee;
};

struct RevokePermissionsStatement {
  std::vector<std::string> permissions;
  Resource resource;
  std::string revokee;
};

struct GrantRoleStatement {
  std::string role;
  std::string grantee;
};

struct RevokeRoleStatement {
  std::string role;
  std::string revokee;
};

struct ListPermissionsStatement {
  std::vector<std::string> permissions;  // empty: ALL
  std::optional<Resource> resource;      // ON resource
  std::string role;                      // OF role (empty: all)
  bool recursive = true;                 // NORECURSIVE clears it
};

struct ListRolesStatement {
  std::string role;  // OF role (empty: all)
  bool recursive = true;
};

struct ListUsersStatement {};

// ---- DESCRIBE (cqlsh's forms, answered by the server since Cassandra 4) ----

struct DescribeStatement {
  enum class Kind : uint8_t {
    kCluster,
    kSchema,  // full: FULL SCHEMA
    kKeyspaces,
    kKeyspace,  // name.name empty: the session keyspace
    kTables,
    kTable,
    kTypes,
    kType,
    kFunctions,
    kFunction,
    kAggregates,
    kAggregate,
    kIndex,
    kMaterializedView,
    kGeneric,  // DESCRIBE [ks.]name: whatever that names
  };
  Kind kind = Kind::kCluster;
  QualifiedName name;
  bool full = false;
  bool only = false;            // DESCRIBE ONLY KEYSPACE
  bool with_internals = false;  // ... WITH INTERNALS
};

using Statement =
    std::variant<SelectStatement, InsertStatement, UpdateStatement, DeleteStatement, BatchStatement,
                 UseStatement, TruncateStatement, CreateKeyspaceStatement, AlterKeyspaceStatement,
                 DropKeyspaceStatement, CreateTableStatement, AlterTableStatement,
                 DropTableStatement, CreateIndexStatement, DropIndexStatement, CreateTypeStatement,
                 AlterTypeStatement, DropTypeStatement, CreateMaterializedViewStatement,
                 DropMaterializedViewStatement, CreateFunctionStatement, DropFunctionStatement,
                 CreateAggregateStatement, DropAggregateStatement, CreateTriggerStatement,
                 DropTriggerStatement, CreateRoleStatement, AlterRoleStatement, DropRoleStatement,
                 CreateUserStatement, AlterUserStatement, DropUserStatement,
                 GrantPermissionsStatement, RevokePermissionsStatement, GrantRoleStatement,
                 RevokeRoleStatement, ListPermissionsStatement, ListRolesStatement,
                 ListUsersStatement, DescribeStatement, AlterMaterializedViewStatement>;

// A parsed statement and its bind markers. Markers are numbered 0.. in order of appearance
// in the text (across all statements of a batch); bind_marker_names[i] is the name of marker
// i (":name"), or empty for "?".
struct RawStatement {
  Statement statement;
  int bind_marker_count = 0;
  std::vector<std::string> bind_marker_names;
};

}  // namespace cqld::ast
