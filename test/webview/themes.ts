// The --vscode-* variables the heap view page uses, with the values of VS Code's Light
// Modern, Dark Modern, Dark High Contrast and Light High Contrast themes, and the body
// classes VS Code sets. As in VS Code, the high contrast themes have no charts orange, and
// the test-passed green is the same pale #73c991 in the light theme as in the dark one.

export interface Theme {
  name: string;
  bodyClass: string;
  variables: Record<string, string>;
}

const FONT = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
};

export const LIGHT: Theme = {
  name: 'light',
  bodyClass: 'vscode-light',
  variables: {
    ...FONT,
    '--vscode-foreground': '#3b3b3b',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-errorForeground': '#f85149',
    '--vscode-editor-background': '#ffffff',
    '--vscode-editorWidget-background': '#f8f8f8',
    '--vscode-widget-border': '#e5e5e5',
    '--vscode-panel-border': '#e5e5e5',
    '--vscode-widget-shadow': '#00000029',
    '--vscode-focusBorder': '#005fb8',
    '--vscode-button-background': '#005fb8',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-hoverBackground': '#0258a8',
    '--vscode-button-border': '#0000001a',
    '--vscode-button-secondaryBackground': '#e5e5e5',
    '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-button-secondaryHoverBackground': '#cccccc',
    '--vscode-textLink-foreground': '#005fb8',
    '--vscode-textLink-activeForeground': '#005fb8',
    '--vscode-textCodeBlock-background': '#f2f2f2',
    '--vscode-dropdown-background': '#ffffff',
    '--vscode-dropdown-foreground': '#3b3b3b',
    '--vscode-dropdown-border': '#cecece',
    '--vscode-list-hoverBackground': '#f2f2f2',
    '--vscode-editorError-foreground': '#e51400',
    '--vscode-editorWarning-foreground': '#bf8803',
    '--vscode-editorInfo-foreground': '#1a85ff',
    '--vscode-editorHoverWidget-background': '#f8f8f8',
    '--vscode-editorHoverWidget-border': '#c8c8c8',
    '--vscode-editorHoverWidget-foreground': '#3b3b3b',
    '--vscode-editor-selectionBackground': '#add6ff',
    '--vscode-progressBar-background': '#005fb8',
    '--vscode-testing-iconPassed': '#73c991',
    '--vscode-gitDecoration-addedResourceForeground': '#587c0c',
    '--vscode-charts-foreground': '#616161',
    '--vscode-charts-lines': '#61616180',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-purple': '#652d90',
    '--vscode-terminal-ansiCyan': '#0598bc',
    '--vscode-terminal-ansiMagenta': '#bc05bc',
  },
};

export const DARK: Theme = {
  name: 'dark',
  bodyClass: 'vscode-dark',
  variables: {
    ...FONT,
    '--vscode-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-errorForeground': '#f85149',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-editorWidget-background': '#202020',
    '--vscode-widget-border': '#313131',
    '--vscode-panel-border': '#2b2b2b',
    '--vscode-widget-shadow': '#0000005c',
    '--vscode-focusBorder': '#0078d4',
    '--vscode-button-background': '#0078d4',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-hoverBackground': '#026ec1',
    '--vscode-button-border': '#ffffff12',
    '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-button-secondaryHoverBackground': '#3c3c3c',
    '--vscode-textLink-foreground': '#4daafc',
    '--vscode-textLink-activeForeground': '#4daafc',
    '--vscode-textCodeBlock-background': '#2b2b2b',
    '--vscode-dropdown-background': '#313131',
    '--vscode-dropdown-foreground': '#cccccc',
    '--vscode-dropdown-border': '#3c3c3c',
    '--vscode-list-hoverBackground': '#2a2d2e',
    '--vscode-editorError-foreground': '#f14c4c',
    '--vscode-editorWarning-foreground': '#cca700',
    '--vscode-editorInfo-foreground': '#3794ff',
    '--vscode-editorHoverWidget-background': '#202020',
    '--vscode-editorHoverWidget-border': '#454545',
    '--vscode-editorHoverWidget-foreground': '#cccccc',
    '--vscode-editor-selectionBackground': '#264f78',
    '--vscode-progressBar-background': '#0078d4',
    '--vscode-testing-iconPassed': '#73c991',
    '--vscode-gitDecoration-addedResourceForeground': '#81b88b',
    '--vscode-charts-foreground': '#cccccc',
    '--vscode-charts-lines': '#cccccc80',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-terminal-ansiCyan': '#11a8cd',
    '--vscode-terminal-ansiMagenta': '#bc3fbc',
  },
};

const withoutOrange = (variables: Record<string, string>): Record<string, string> => {
  const { '--vscode-charts-orange': _orange, ...rest } = variables;
  void _orange;
  return rest;
};

export const HIGH_CONTRAST: Theme = {
  name: 'high-contrast',
  bodyClass: 'vscode-high-contrast',
  variables: withoutOrange({
    ...DARK.variables,
    '--vscode-foreground': '#ffffff',
    '--vscode-descriptionForeground': '#ffffffb3',
    '--vscode-errorForeground': '#f48771',
    '--vscode-editor-background': '#000000',
    '--vscode-editorWidget-background': '#0c141f',
    '--vscode-widget-border': '#6fc3df',
    '--vscode-panel-border': '#6fc3df',
    '--vscode-contrastBorder': '#6fc3df',
    '--vscode-contrastActiveBorder': '#f38518',
    '--vscode-focusBorder': '#f38518',
    '--vscode-button-background': '#000000',
    '--vscode-button-border': '#6fc3df',
    '--vscode-button-secondaryBackground': '#000000',
    '--vscode-button-secondaryForeground': '#ffffff',
    '--vscode-textLink-foreground': '#21a6ff',
    '--vscode-list-hoverBackground': '#000000',
    '--vscode-editorError-foreground': '#f48771',
    '--vscode-editorHoverWidget-background': '#0c141f',
    '--vscode-editorHoverWidget-border': '#6fc3df',
    '--vscode-editorHoverWidget-foreground': '#ffffff',
    '--vscode-gitDecoration-addedResourceForeground': '#a1e3ad',
    '--vscode-charts-foreground': '#ffffff',
    '--vscode-charts-lines': '#ffffff80',
    '--vscode-charts-red': '#f48771',
    '--vscode-charts-yellow': '#ffd700',
    '--vscode-charts-green': '#89d185',
  }),
};

export const HIGH_CONTRAST_LIGHT: Theme = {
  name: 'high-contrast-light',
  // VS Code gives a light high contrast theme both classes.
  bodyClass: 'vscode-high-contrast vscode-high-contrast-light',
  variables: withoutOrange({
    ...LIGHT.variables,
    '--vscode-foreground': '#292929',
    '--vscode-descriptionForeground': '#292929b3',
    '--vscode-errorForeground': '#b5200d',
    '--vscode-editor-background': '#ffffff',
    '--vscode-editorWidget-background': '#ffffff',
    '--vscode-widget-border': '#0f4a85',
    '--vscode-panel-border': '#0f4a85',
    '--vscode-contrastBorder': '#0f4a85',
    '--vscode-contrastActiveBorder': '#006bbd',
    '--vscode-focusBorder': '#006bbd',
    '--vscode-button-background': '#0f4a85',
    '--vscode-button-border': '#0f4a85',
    '--vscode-button-secondaryBackground': '#ffffff',
    '--vscode-button-secondaryForeground': '#292929',
    '--vscode-textLink-foreground': '#0f4a85',
    '--vscode-list-hoverBackground': '#ffffff',
    '--vscode-editorError-foreground': '#b5200d',
    '--vscode-editorWarning-foreground': '#895503',
    '--vscode-editorHoverWidget-background': '#ffffff',
    '--vscode-editorHoverWidget-border': '#0f4a85',
    '--vscode-editorHoverWidget-foreground': '#292929',
    '--vscode-testing-iconPassed': '#007100',
    '--vscode-gitDecoration-addedResourceForeground': '#374e06',
    '--vscode-charts-foreground': '#292929',
    '--vscode-charts-lines': '#29292980',
    '--vscode-charts-red': '#b5200d',
    '--vscode-charts-blue': '#0f4a85',
    '--vscode-charts-yellow': '#895503',
    '--vscode-charts-green': '#374e06',
    '--vscode-charts-purple': '#652d90',
  }),
};

export const THEMES = [LIGHT, DARK, HIGH_CONTRAST];
/** The four kinds VS Code tells a webview about (body classes). */
export const THEME_KINDS = [LIGHT, DARK, HIGH_CONTRAST, HIGH_CONTRAST_LIGHT];
