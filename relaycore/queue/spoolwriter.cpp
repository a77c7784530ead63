#include "relaycore/queue/spoolwriter.h"

namespace mailroute {

SpoolWriter::SpoolWriter(const Spool &engine)
    : m_spool(engine.directory(), Spool::Role::Engine, *engine.m_clock)
{
    // The engine's Spool holds spool.lock for the process; this connection
    // shares it (a second lock would find it taken).
    m_spool.m_sharesEngineLock = true;
}

Status SpoolWriter::open()
{
    return m_spool.open();
}

void SpoolWriter::close()
{
    m_spool.close();
}

} // namespace mailroute
