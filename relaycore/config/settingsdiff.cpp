#include "relaycore/config/settingsdiff.h"

#include "relaycore/config/settingsschema.h"

namespace mailroute {

void describeSettingDefaults(ConfigDiff &diff)
{
    for (SettingChange &c : diff.settings) {
        if (const SettingDef *def = SettingsSchema::find(c.key))
            c.defaultValue = def->defaultValue;
    }
}

} // namespace mailroute
