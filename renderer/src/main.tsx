import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { DeskGate } from './features/desk/DeskGate';
import './styles.css';

dayjs.locale('zh-cn');

/** The system's “reduce motion” setting (slow old laptops, and the end-to-end tests): dialogs open and close at once. */
const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider
      locale={zhCN}
      // Labels read as written (完成, not 完 成), for people and for tests alike.
      button={{ autoInsertSpace: false }}
      theme={{
        token: {
          fontFamily: '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", sans-serif',
          colorPrimary: '#1d6fb8',
          borderRadius: 4,
          motion: !reduceMotion,
        },
      }}
    >
      <AntApp>
        <DeskGate>{(desk) => <App desk={desk} />}</DeskGate>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
