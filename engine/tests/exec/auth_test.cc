// Password hashes, resources and roles of exec/auth (the SQL-level behaviour is in the
// conformance suite's auth/ files, recorded from Cassandra).
#include <gtest/gtest.h>

#include "common/errors.h"
#include "exec/auth/password_hash.h"
#include "exec/auth/resource.h"
#include "exec/database.h"

namespace cqld::auth {
namespace {

TEST(PasswordHash, IsSaltedBcryptThatChecks) {
  std::string hash = hash_password("s3cret");
  EXPECT_TRUE(hash.starts_with("$2a$10$"));
  EXPECT_EQ(hash.size(), 60u);
  EXPECT_TRUE(is_bcrypt_hash(hash));
  EXPECT_TRUE(check_password("s3cret", hash));
  EXPECT_FALSE(check_password("s3cret ", hash));
  EXPECT_FALSE(check_password("", hash));
  EXPECT_NE(hash_password("s3cret"), hash);  // a new salt each time
}

TEST(PasswordHash, RefusesWhatIsNotBcrypt) {
  EXPECT_FALSE(is_bcrypt_hash("not a hash"));
  EXPECT_FALSE(is_bcrypt_hash("$1$abcdefgh$abcdefghijklmnopqrstuv"));
  EXPECT_FALSE(check_password("x", "plain text"));
}

TEST(Resource, NamesDisplaysAndParents) {
  Resource table = Resource::table("ks", "t");
  EXPECT_EQ(table.name(), "data/ks/t");
  EXPECT_EQ(table.display(), "<table ks.t>");
  ASSERT_EQ(table.chain().size(), 3u);
  EXPECT_EQ(table.chain()[1], Resource::keyspace("ks"));
  EXPECT_EQ(table.chain()[2], Resource::all_keyspaces());
  EXPECT_EQ(Resource::all_tables("ks").display(), "<all tables in ks>");
  EXPECT_EQ(*Resource::all_tables("ks").parent(), Resource::keyspace("ks"));
  for (const Resource& r : {Resource::all_keyspaces(), Resource::keyspace("k"), Resource::all_tables("k"), table,
                            Resource::all_roles(), Resource::role("r"), Resource::all_functions(),
                            Resource::keyspace_functions("k")}) {
    ASSERT_TRUE(Resource::from_name(r.name()).has_value()) << r.name();
    EXPECT_EQ(*Resource::from_name(r.name()), r);
  }
  EXPECT_FALSE(Resource::from_name("bogus/x").has_value());
}

TEST(Resource, ApplicablePermissionsAreCassandras) {
  EXPECT_FALSE(Resource::table("k", "t").applicable().contains(Permission::kCreate));
  EXPECT_TRUE(Resource::keyspace("k").applicable().contains(Permission::kCreate));
  EXPECT_FALSE(Resource::keyspace("k").applicable().contains(Permission::kExecute));
  EXPECT_TRUE(Resource::role("r").applicable().contains(Permission::kDescribe));
  EXPECT_TRUE(Resource::all_functions().applicable().contains(Permission::kExecute));
  EXPECT_EQ(PermissionSet::from_names({"SELECT", "MODIFY", "NOPE"}).names(),
            (std::vector<std::string>{"SELECT", "MODIFY"}));
}

Result run(Database& db, ClientState& client, const std::string& cql) { return db.query(client, cql, QueryOptions{}); }

TEST(AuthService, DefaultSuperuserOnlyWithAuthentication) {
  DatabaseOptions open;
  open.in_memory = true;
  auto without = open_database(open);
  ClientState anonymous;
  EXPECT_FALSE(without->auth()->find_role("cassandra").has_value());
  try {
    run(*without, anonymous, "CREATE ROLE r");
    FAIL() << "an anonymous client created a role";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnauthorized);
  }
  DatabaseOptions secured = open;
  secured.auth.authenticate = true;
  secured.auth.superuser_password = "first";
  auto with = open_database(secured);
  auto superuser = with->auth()->find_role("cassandra");
  ASSERT_TRUE(superuser.has_value());
  EXPECT_TRUE(superuser->superuser && superuser->login);
  std::string reason;
  EXPECT_EQ(with->auth()->authenticate("cassandra", "first", &reason), "cassandra");
  EXPECT_FALSE(with->auth()->authenticate("cassandra", "cassandra", &reason).has_value());
  EXPECT_EQ(reason, "Provided username cassandra and/or password are incorrect");
}

TEST(AuthService, ClientsCannotWriteSystemAuth) {
  DatabaseOptions options;
  options.in_memory = true;
  options.auth.authenticate = true;
  auto db = open_database(options);
  ClientState superuser;
  superuser.user = "cassandra";
  try {
    run(*db, superuser, "INSERT INTO system_auth.roles (role, is_superuser) VALUES ('x', true)");
    FAIL() << "a client wrote system_auth.roles";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnauthorized);
  }
  EXPECT_FALSE(db->auth()->find_role("x").has_value());
}

// The message of the Unauthorized error "cql" gets, or "" when it runs.
std::string refusal(Database& db, ClientState& client, const std::string& cql) {
  try {
    run(db, client, cql);
    return "";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnauthorized) << e.what();
    return e.what();
  }
}

class AuthorizedSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.in_memory = true;
    options.auth.authenticate = options.auth.authorize = true;
    db_ = open_database(options);
    superuser_.user = "cassandra";
    for (const char* cql : {"CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
                            "CREATE TABLE ks.base (k int, c int, v int, PRIMARY KEY (k, c))",
                            "CREATE INDEX base_v ON ks.base (v)",
                            "CREATE MATERIALIZED VIEW ks.by_c AS SELECT * FROM ks.base WHERE k IS NOT NULL AND c IS "
                            "NOT NULL PRIMARY KEY (c, k)",
                            "CREATE ROLE r WITH PASSWORD = 'pw' AND LOGIN = true"})
      run(*db_, superuser_, cql);
    role_.user = "r";
  }
  std::unique_ptr<Database> db_;
  ClientState superuser_, role_;
};

constexpr const char* kNoAlterOnBase = "User r has no ALTER permission on <table ks.base> or any of its parents";

// Cassandra's view statements ask for ALTER on the base table: named by CREATE, found through the
// schema by ALTER and DROP.
TEST_F(AuthorizedSchema, ViewStatementsNeedAlterOnTheBaseTable) {
  EXPECT_EQ(refusal(*db_, role_,
                    "CREATE MATERIALIZED VIEW ks.by_v AS SELECT * FROM ks.base WHERE k IS NOT NULL AND c IS NOT NULL "
                    "PRIMARY KEY (c, k)"),
            kNoAlterOnBase);
  EXPECT_EQ(refusal(*db_, role_, "ALTER MATERIALIZED VIEW ks.by_c WITH comment = 'x'"), kNoAlterOnBase);
  EXPECT_EQ(refusal(*db_, role_, "DROP MATERIALIZED VIEW ks.by_c"), kNoAlterOnBase);
  run(*db_, superuser_, "GRANT ALTER ON TABLE ks.base TO r");
  EXPECT_EQ(refusal(*db_, role_, "ALTER MATERIALIZED VIEW ks.by_c WITH comment = 'x'"), "");
  EXPECT_EQ(refusal(*db_, role_, "DROP MATERIALIZED VIEW ks.by_c"), "");
}

// A view that does not exist asks for no permission: the statement fails as it would for anyone.
TEST_F(AuthorizedSchema, AMissingViewIsNotAnAccessError) {
  EXPECT_THROW(run(*db_, role_, "DROP MATERIALIZED VIEW ks.nope"), InvalidRequest);
  EXPECT_EQ(refusal(*db_, role_, "DROP MATERIALIZED VIEW IF EXISTS ks.nope"), "");
}

TEST_F(AuthorizedSchema, DropIndexNeedsAlterOnItsTable) {
  EXPECT_EQ(refusal(*db_, role_, "DROP INDEX ks.base_v"), kNoAlterOnBase);
  run(*db_, superuser_, "GRANT ALTER ON TABLE ks.base TO r");
  EXPECT_EQ(refusal(*db_, role_, "DROP INDEX ks.base_v"), "");
}

}  // namespace
}  // namespace cqld::auth
