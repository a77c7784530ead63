#include "ui/userlistexport.h"

#include "relaycore/csv/usercsvcodec.h"
#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"

#include <QCoreApplication>
#include <QDate>
#include <QSaveFile>

namespace mailroute {

namespace {

struct Written
{
    QString error;
    qint64 rows = 0;
};

// QSaveFile: a failed write never leaves half a file where an old export was.
QString writeFile(const QString &path, const QByteArray &data)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QCoreApplication::translate("UserListExport", "Cannot write %1: %2")
            .arg(path, file.errorString());
    if (file.write(data) != data.size() || !file.commit())
        return QCoreApplication::translate("UserListExport", "Cannot write %1: %2")
            .arg(path, file.errorString());
    return {};
}

} // namespace

void UserListExport::exportUsers(BackgroundStore *background, QObject *context, Area area,
                                 const QString &path, Done done)
{
    background->run(
        context,
        [area, path](ConfigStore &store) {
            Written w;
            w.rows = store.userCount(area);
            w.error = writeFile(path, store.exportUsers(area));
            return w;
        },
        [done = std::move(done)](const Written &w) { done(w.error, w.rows); });
}

QString UserListExport::writeSample(const QString &path)
{
    return writeFile(path, UserCsvCodec::sample());
}

QString UserListExport::suggestedFileName(Area area)
{
    return areaKey(area) + QStringLiteral("-users-") + QDate::currentDate().toString(Qt::ISODate) +
           QStringLiteral(".csv");
}

} // namespace mailroute
