// dkimBodyHash() (dkimcanonicalization.h) over a body that arrives in
// pieces: a large message's body read from its file in chunks
// (relaycore/message/bodyfile.h), never whole in memory. The same result
// as dkimBodyHash() of the pieces joined, however they are cut.
#pragma once

#include "relaycore/dkim/dkimcanonicalization.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace mailroute {

class DkimBodyHasher final
{
public:
    explicit DkimBodyHasher(DkimCanonicalization c, qint64 limit = -1);
    ~DkimBodyHasher();
    Q_DISABLE_COPY_MOVE(DkimBodyHasher)

    void add(QByteArrayView piece);
    // The SHA-256; `canonicalLength` as for dkimBodyHash(). Once.
    QByteArray finish(qint64 *canonicalLength = nullptr);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace mailroute
