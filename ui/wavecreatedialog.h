// "Create wave" on the Waves page (issue 15 items 2, 3 and 6): a name, the
// activation time and an optional expiry (local time, stored in UTC), the
// area, and a file: the user-list CSV (Source;Target) or, with a target
// domain, a migration tool's batch file with an EmailAddress column. The
// file is read and checked on the store's worker thread and previewed like
// an upload (ImportPreviewModel: which users are new, which change target),
// with the Outbound inverses the round-trip rule adds (--with-outbound) and
// the conflicts it leaves alone. Create adds the wave to the draft
// (ConfigStore::addWave); it acts once pushed. Main (GUI) thread.
#pragma once

#include "relaycore/routing/wave.h"

#include <QDateTime>
#include <QDialog>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableView;

namespace mailroute {

class BackgroundStore;
class ImportPreviewModel;

class WaveCreateDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class Stage { NoFile, Reading, Preview, Refused, Creating };
    static constexpr int kPreviewRows = 500;

    WaveCreateDialog(BackgroundStore *background, const QDateTime &nowUtc, QWidget *parent = nullptr);

    Stage stage() const { return m_stage; }
    // Reads and previews `path` (also what Browse… does).
    void setFile(const QString &path);
    // The Create button: validates, then adds the wave to the draft.
    void create();

    QLineEdit *nameEdit() const { return m_name; }
    QDateTimeEdit *atEdit() const { return m_at; }
    QCheckBox *expireCheck() const { return m_expireCheck; }
    QDateTimeEdit *expireEdit() const { return m_expire; }
    QComboBox *areaCombo() const { return m_area; }
    QLineEdit *targetDomainEdit() const { return m_targetDomain; }
    QCheckBox *withOutboundCheck() const { return m_withOutbound; }
    QCheckBox *applyAnywayCheck() const { return m_applyAnyway; }
    ImportPreviewModel *previewModel() const { return m_previewModel; }
    QString summary() const;
    QString errorText() const;
    const QList<WaveMapping> &mappings() const { return m_mappings; }

signals:
    void stageChanged(mailroute::WaveCreateDialog::Stage stage);
    void created(const QString &name);

private:
    struct Read;
    void setStage(Stage stage);
    void preview();
    void showRead(const Read &read);
    void browse();
    Area area() const;

    BackgroundStore *m_background;
    Stage m_stage = Stage::NoFile;
    QString m_path;
    QList<WaveMapping> m_mappings;
    int m_generation = 0; // of the preview; older results are dropped

    QLineEdit *m_name;
    QComboBox *m_area;
    QDateTimeEdit *m_at;
    QCheckBox *m_expireCheck;
    QDateTimeEdit *m_expire;
    QLineEdit *m_file;
    QPushButton *m_browse;
    QLineEdit *m_targetDomain;
    QCheckBox *m_withOutbound;
    QCheckBox *m_applyAnyway;
    QLabel *m_summary;
    QListWidget *m_errors;
    QTableView *m_preview;
    ImportPreviewModel *m_previewModel;
    QPushButton *m_create;
    QPushButton *m_cancel;
};

} // namespace mailroute
