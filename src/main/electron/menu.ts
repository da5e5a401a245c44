// The desktop app's menu (Russian, as the UI), with Help → Экспорт диагностики and О программе, and the
// message boxes they show. The shell (main.ts) gives it what it reads at click time.
import { app, dialog, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StationApp } from '../app/station-app.ts';

export interface MenuShell {
  appName: string;
  dataDir: string;
  /** The running station, or null while starting or stopping. */
  stationApp(): StationApp | null;
  /** The window the dialogs belong to, or null. */
  window(): BrowserWindow | null;
  log: { info(message: string): void };
}

export function menuTemplate(shell: MenuShell): MenuItemConstructorOptions[] {
  return [
    { label: 'Файл', submenu: [{ role: 'quit', label: 'Выход' }] },
    {
      label: 'Правка',
      submenu: [
        { role: 'undo', label: 'Отменить' },
        { role: 'redo', label: 'Повторить' },
        { type: 'separator' },
        { role: 'cut', label: 'Вырезать' },
        { role: 'copy', label: 'Копировать' },
        { role: 'paste', label: 'Вставить' },
        { role: 'selectAll', label: 'Выделить всё' },
      ],
    },
    {
      label: 'Вид',
      submenu: [
        { role: 'resetZoom', label: 'Обычный размер' },
        { role: 'zoomIn', label: 'Крупнее' },
        { role: 'zoomOut', label: 'Мельче' },
        { type: 'separator' },
        { role: 'togglefullscreen', label: 'Во весь экран' },
        ...(app.isPackaged
          ? []
          : [
              { type: 'separator' as const },
              { role: 'toggleDevTools' as const, label: 'Инструменты разработчика' },
            ]),
      ],
    },
    {
      label: 'Справка',
      submenu: [
        { label: 'Экспорт диагностики…', click: () => void exportDiagnostics(shell) },
        { type: 'separator' },
        { label: 'О программе', click: () => void about(shell) },
      ],
    },
  ];
}

/** Help → Экспорт диагностики: the same bundle as the renderer's button, saved where the user chooses. */
async function exportDiagnostics(shell: MenuShell): Promise<void> {
  const stationApp = shell.stationApp();
  if (!stationApp) return;
  const result = await stationApp.handle('diagnostics.export', undefined);
  if (!result.ok) {
    await message(shell, 'error', 'Не удалось собрать диагностику', result.error.message);
    return;
  }
  const bundle = result.value as { fileName: string; base64: string };
  const options = {
    title: 'Сохранить диагностику',
    defaultPath: join(app.getPath('documents'), bundle.fileName),
    filters: [{ name: 'Архив диагностики (.tar.gz)', extensions: ['gz'] }],
  };
  const win = shell.window();
  const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return;
  try {
    await writeFile(choice.filePath, Buffer.from(bundle.base64, 'base64'));
    shell.log.info(`Diagnostics saved to ${choice.filePath}`);
    await message(
      shell,
      'info',
      'Диагностика сохранена',
      `Файл: ${choice.filePath}\nОтправьте его в службу поддержки.`,
    );
  } catch (e) {
    await message(shell, 'error', 'Не удалось сохранить диагностику', (e as Error).message);
  }
}

async function about(shell: MenuShell): Promise<void> {
  const stationApp = shell.stationApp();
  await message(
    shell,
    'info',
    shell.appName,
    [
      `Версия ${app.getVersion()}`,
      `Electron ${process.versions.electron}, Node ${process.versions.node}`,
      `Данные: ${shell.dataDir}`,
      stationApp ? `REST API: ${stationApp.restUrl}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

async function message(
  shell: MenuShell,
  type: 'info' | 'error',
  title: string,
  detail: string,
): Promise<void> {
  const options = { type, title, message: title, detail, buttons: ['OK'] };
  const win = shell.window();
  if (win) await dialog.showMessageBox(win, options);
  else await dialog.showMessageBox(options);
}
