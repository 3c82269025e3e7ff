//! The native menu bar: File, Edit, View and Help with the usual entries.
//!
//! Items that belong to the front end emit the `menu-action` event
//! (`crate::events`) with a [`MenuAction`] (serialised as `"save-url"`, `"theme-dark"`, ...); the UI
//! maps them to its own actions in `ui/src/lib/menuActions.ts`. Edit's items
//! are the system's own, and full screen is done here.
//!
//! Accelerators never fight the window's keyboard shortcuts: where both
//! have a key (Ctrl+L, Ctrl+=, Ctrl+-), the menu item does exactly what the
//! shortcut does, and the other keys are ones the window does not use.

use gloss_core::model::MenuAction;
use tauri::menu::{Menu, MenuBuilder, MenuItem, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Manager, Runtime};

/// The one item handled here rather than in the front end.
const FULLSCREEN: &str = "fullscreen";

/// The id of an action's item: the string the event carries.
pub fn action_id(action: MenuAction) -> String {
    serde_json::to_value(action)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The action behind an item id, for ids of front-end actions.
pub fn action_for(id: &str) -> Option<MenuAction> {
    serde_json::from_value(serde_json::Value::String(id.to_owned())).ok()
}

/// Builds the menu bar.
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let item = |action: MenuAction, text: &str, accelerator: Option<&str>| {
        let mut builder = MenuItemBuilder::with_id(action_id(action), text);
        if let Some(keys) = accelerator {
            builder = builder.accelerator(keys);
        }
        builder.build(app)
    };
    let save = item(MenuAction::SaveUrl, "Save URL…", Some("CmdOrCtrl+L"))?;
    let import = item(MenuAction::Import, "Import…", Some("CmdOrCtrl+O"))?;
    let export = item(MenuAction::Export, "Export…", Some("CmdOrCtrl+Shift+E"))?;
    let settings = item(MenuAction::Settings, "Settings…", Some("CmdOrCtrl+,"))?;
    let about = item(MenuAction::About, "About Gloss", None)?;

    let mut file = SubmenuBuilder::new(app, "File")
        .item(&save)
        .separator()
        .item(&import)
        .item(&export);
    // macOS has Settings and Quit in the app's own menu (below).
    if !cfg!(target_os = "macos") {
        file = file.separator().item(&settings).separator().quit();
    }
    let file = file.build()?;

    let mut edit = SubmenuBuilder::new(app, "Edit");
    // GTK has no undo/redo to offer; they would only be greyed out there.
    if !cfg!(target_os = "linux") {
        edit = edit.undo().redo().separator();
    }
    let edit = edit.cut().copy().paste().separator().select_all().build()?;

    let fullscreen: MenuItem<R> = MenuItemBuilder::with_id(FULLSCREEN, "Full Screen")
        .accelerator(if cfg!(target_os = "macos") {
            "Ctrl+Cmd+F"
        } else {
            "F11"
        })
        .build(app)?;
    let view = SubmenuBuilder::new(app, "View")
        .item(&item(MenuAction::ThemeLight, "Light Theme", None)?)
        .item(&item(MenuAction::ThemeDark, "Dark Theme", None)?)
        .item(&item(MenuAction::ThemeSystem, "Theme of the System", None)?)
        .separator()
        .item(&item(
            MenuAction::TextLarger,
            "Larger Text",
            Some("CmdOrCtrl+="),
        )?)
        .item(&item(
            MenuAction::TextSmaller,
            "Smaller Text",
            Some("CmdOrCtrl+-"),
        )?)
        .item(&item(
            MenuAction::TextReset,
            "Actual Size",
            Some("CmdOrCtrl+0"),
        )?)
        .separator()
        .item(&fullscreen)
        .build()?;

    let mut help = SubmenuBuilder::new(app, "Help").item(&item(
        MenuAction::Shortcuts,
        "Keyboard Shortcuts",
        Some("F1"),
    )?);
    if !cfg!(target_os = "macos") {
        help = help.separator().item(&about);
    }
    let help = help.build()?;

    let mut bar = MenuBuilder::new(app);
    if cfg!(target_os = "macos") {
        let app_menu = SubmenuBuilder::new(app, "Gloss")
            .item(&about)
            .separator()
            .item(&settings)
            .separator()
            .hide()
            .hide_others()
            .show_all()
            .separator()
            .quit()
            .build()?;
        bar = bar.item(&app_menu);
    }
    bar.items(&[&file, &edit, &view, &help]).build()
}

/// A click on one of our items (the system's own items never get here).
pub fn handle<R: Runtime>(app: &AppHandle<R>, id: &str) {
    if id == FULLSCREEN {
        if let Some(window) = app.get_webview_window("main") {
            let now = window.is_fullscreen().unwrap_or(false);
            let _ = window.set_fullscreen(!now);
        }
    } else if let Some(action) = action_for(id) {
        crate::events::emit(app, &action);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_ids_are_the_strings_of_the_menu_contract() {
        let contract = [
            (MenuAction::SaveUrl, "save-url"),
            (MenuAction::Import, "import"),
            (MenuAction::Export, "export"),
            (MenuAction::Settings, "settings"),
            (MenuAction::ThemeLight, "theme-light"),
            (MenuAction::ThemeDark, "theme-dark"),
            (MenuAction::ThemeSystem, "theme-system"),
            (MenuAction::TextLarger, "text-larger"),
            (MenuAction::TextSmaller, "text-smaller"),
            (MenuAction::TextReset, "text-reset"),
            (MenuAction::Shortcuts, "shortcuts"),
            (MenuAction::About, "about"),
        ];
        for (action, id) in contract {
            assert_eq!(action_id(action), id);
            assert_eq!(action_for(id), Some(action));
        }
        assert_eq!(action_for(FULLSCREEN), None);
        assert_eq!(action_for("quit"), None);
    }
}
