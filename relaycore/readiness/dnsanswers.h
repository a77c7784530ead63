// Moved to relaycore/mailauth (SPF is evaluated at receipt too).
#pragma once

#include "relaycore/mailauth/dnsanswers.h"
