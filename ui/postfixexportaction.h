// Configuration ▸ Export to Postfix… (docs/behaviour.md "Postfix export"): asks
// for a folder, writes the active generation there as Postfix lookup tables
// (relaycore/export) on the BackgroundStore's thread, and says what was written
// and what Postfix would route differently. Lives on the GUI thread.
#pragma once

#include <QAction>
#include <QPointer>
#include <QString>

class QWidget;

namespace mailroute {

class BackgroundStore;

class PostfixExportAction final : public QAction
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PostfixExportAction)

public:
    PostfixExportAction(BackgroundStore *background, QWidget *window);

    // Exports into `directory` off the GUI thread, then shows the outcome in a
    // message box (object name "postfixExportResult") and emits finished().
    void exportTo(const QString &directory);

signals:
    void finished(bool ok, const QString &message);

private:
    void chooseDirectory();

    BackgroundStore *m_background;
    QPointer<QWidget> m_window;
    QString m_lastDirectory;
};

} // namespace mailroute
