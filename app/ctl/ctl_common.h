// What several mailroutectl commands share besides CtlApp's own plumbing
// (defined in ctlapp.cpp).
#pragma once

#include <QDateTime>
#include <QString>

#include <csignal>

namespace mailroute::ctl {

// A time as the text listings print it: ISO 8601, UTC.
QString formatTime(const QDateTime &t);

// SIGINT and SIGTERM for `logs --follow` and `serve`: onStopSignal sets
// stopRequested and writes a byte to signalPipe[1] once serve opened it.
extern volatile std::sig_atomic_t stopRequested;
extern int signalPipe[2];
extern "C" void onStopSignal(int);

} // namespace mailroute::ctl
