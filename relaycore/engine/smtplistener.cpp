#include "relaycore/engine/smtplistener.h"

#include <QSslSocket>

namespace mailroute {

SmtpListener::SmtpListener(QObject *parent) : QTcpServer(parent) {}

void SmtpListener::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    addPendingConnection(socket);
}

} // namespace mailroute
