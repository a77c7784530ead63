#include "relaycore/dkim/dkimbodyhasher.h"

#include "relaycore/dkim/dkimbodycanonicalizer_p.h"

namespace mailroute {

struct DkimBodyHasher::State
{
    State(DkimCanonicalization c, qint64 limit) : sink(limit), canon(c, sink) {}
    dkimbody::LimitedHashSink sink;
    dkimbody::Canonicalizer<dkimbody::LimitedHashSink> canon;
};

DkimBodyHasher::DkimBodyHasher(DkimCanonicalization c, qint64 limit)
    : m_state(std::make_unique<State>(c, limit))
{}

DkimBodyHasher::~DkimBodyHasher() = default;

void DkimBodyHasher::add(QByteArrayView piece)
{
    m_state->canon.add(piece);
}

QByteArray DkimBodyHasher::finish(qint64 *canonicalLength)
{
    m_state->canon.finish();
    if (canonicalLength)
        *canonicalLength = m_state->sink.total();
    return m_state->sink.result();
}

} // namespace mailroute
