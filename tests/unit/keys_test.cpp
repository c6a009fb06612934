// Unit: the key schema keeps every key of a tenant inside one Redis Cluster hash slot.
#include "state/keys.hpp"

#include <catch2/catch.hpp>

using namespace daiban::state;

TEST_CASE("every key of a tenant carries the tenant's hash tag", "[unit][keys]") {
    CHECK(keys::seen("demo", "u1", "m-1").rfind("dbn:{demo}:", 0) == 0);
    CHECK(keys::conversation("demo", "p:u1") == "dbn:{demo}:conv:p:u1");
    // The claim takeover script reads a claim and its owner's lease together: one slot.
    CHECK(keys::owner_lease("demo", "host:12:1700000000000:0a1b2c3d") ==
          "dbn:{demo}:live:host:12:1700000000000:0a1b2c3d");
}
