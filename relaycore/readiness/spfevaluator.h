// Moved to relaycore/mailauth (SPF is evaluated at receipt too).
#pragma once

#include "relaycore/mailauth/spfevaluator.h"
