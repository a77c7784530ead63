// The schema's defaults for the setting changes of a diff, so that setting
// or resetting a setting shows what it was (the default) and what it
// becomes: "setting ~ relay.listen: 0.0.0.0:25 (default) -> 127.0.0.1:2525".
// The routing library cannot know the schema (it sits below it); the store,
// mailroutectl diff and the console's push dialog call this. Pure.
#pragma once

#include "relaycore/routing/configdiff.h"

namespace mailroute {

// Fills SettingChange::defaultValue of every change whose key the schema knows.
void describeSettingDefaults(ConfigDiff &diff);

} // namespace mailroute
