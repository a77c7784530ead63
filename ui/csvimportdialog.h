// "Upload CSV" (docs/behaviour.md "CSV user lists"): reads and checks the whole
// file on the store's worker thread with a progress bar that can be cancelled,
// then shows what the upload would change (new / changed / removed rows) or
// every error with its line number, warns that the area's whole list is
// replaced, offers to export the current list first, and only then replaces the
// list in one transaction. Cancelling, or a refused file, changes nothing. Main
// (GUI) thread.
#pragma once

#include "relaycore/routing/area.h"
#include "relaycore/store/configstore.h"

#include <QDialog>

#include <atomic>
#include <memory>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTableView;

namespace mailroute {

class BackgroundStore;
class ImportPreviewModel;

class CsvImportDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class Stage { Reading, Preview, Refused, Applying, Failed };
    static constexpr int kPreviewRowsPerKind = 500;

    CsvImportDialog(BackgroundStore *background, Area area, QString fileName, QWidget *parent = nullptr);
    ~CsvImportDialog() override;

    // Starts reading and checking the file (call once, after open()).
    void start();
    // Closes unless a write is running (it is one transaction: it finishes).
    void reject() override;

    Stage stage() const { return m_stage; }
    const ImportPlan &plan() const { return m_plan; }
    ImportPreviewModel *previewModel() const { return m_previewModel; }

signals:
    void stageChanged(mailroute::CsvImportDialog::Stage stage);
    // The list was replaced: `plan` says what changed.
    void imported(const mailroute::ImportPlan &plan);

private:
    struct Checked;
    void setStage(Stage stage);
    void showChecked(const Checked &checked);
    void replace();
    void exportFirst();

    BackgroundStore *m_background;
    Area m_area;
    QString m_fileName;
    Stage m_stage = Stage::Reading;
    std::shared_ptr<std::atomic_bool> m_cancel;
    ImportPlan m_plan;
    qint64 m_currentCount = 0;

    QLabel *m_fileLabel;
    QLabel *m_status;
    QProgressBar *m_progress;
    QLabel *m_summary;
    QLabel *m_warning;
    QListWidget *m_errors;
    QTableView *m_preview;
    ImportPreviewModel *m_previewModel;
    QPushButton *m_exportFirst;
    QPushButton *m_replace;
    QPushButton *m_cancelButton;
};

} // namespace mailroute
