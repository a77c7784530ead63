#include "relaycore/engine/smtplistener.h"

#include <QTcpSocket>

namespace mailroute {

SmtpListener::SmtpListener(QObject *parent) : QTcpServer(parent) {}

void SmtpListener::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    addPendingConnection(socket);
}

} // namespace mailroute
