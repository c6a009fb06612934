// state layer: keys.hpp is header-only; this unit keeps the library non-empty and checks that
// the header compiles on its own.
#include "state/keys.hpp"
