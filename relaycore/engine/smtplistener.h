// The relay's listening socket. Every accepted connection is a plain
// QTcpSocket; SmtpServerConnection moves it to a QSslSocket when the client
// asks for STARTTLS (RFC 3207). Lives on the engine thread.
#pragma once

#include <QTcpServer>

namespace mailroute {

class SmtpListener final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SmtpListener)

public:
    explicit SmtpListener(QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr socketDescriptor) override;
};

} // namespace mailroute
