// The FN → OFD relay's words on «Состояние» (ofdServer set: the station carries the FN's messages to the
// OFD): the panel's labels and why the relay last failed, by code (src/shared/fn-relay-failure.ts); the
// relay's English message stays the tooltip for support. ru.ts and en.ts spread these.
import type { FnRelayFailureWhy } from '../../shared/fn-relay-failure.ts';
import { formatSeconds } from '../format.ts';

const hex = (code: number): string => `${code.toString(16).toUpperCase().padStart(2, '0')}h`;
const tail = (text: string | null): string => (text ? `: ${text}` : '');

function fnRelayFailureRu(why: FnRelayFailureWhy): string {
  switch (why.code) {
    case 'ofd_unreachable':
      return `Сервер ОФД ${why.params.server} недоступен${why.params.error ? ` (${why.params.error})` : ''}. Проверьте интернет и адрес сервера ОФД; документы ждут в ФН`;
    case 'ofd_timeout':
      return `Сервер ОФД ${why.params.server} не ответил за ${formatSeconds(why.params.ms, 'ru')} с; касса отправит документ ещё раз`;
    case 'ofd_bad_answer':
      return `Сервер ОФД ${why.params.server} ответил не сообщением для ФН: проверьте адрес сервера ОФД`;
    case 'ofd_closed_early':
      return `Сервер ОФД ${why.params.server} оборвал связь посреди ответа (${why.params.received} из ${why.params.expected} байт); касса отправит документ ещё раз`;
    case 'fn_refused_answer':
      return `ФН не принял ответ ОФД (ошибка 20h)${tail(why.params.deviceMessage)}; документ остаётся в ФН и уйдёт ещё раз`;
    case 'fn_message_torn':
      return `Сообщение ФН для ОФД прочитано с ошибкой (${why.params.size} байт, ${why.params.announced === null ? 'заголовок не читается' : `в заголовке ${why.params.announced}`}); касса прочитает его ещё раз`;
    case 'kkt_not_connected':
      return 'ККТ не на связи: документы ФН уйдут в ОФД, когда она ответит';
    case 'kkt_error':
      return `ККТ отказала в команде обмена с ОФД${why.params.deviceCode === null ? '' : ` (ошибка ${hex(why.params.deviceCode)})`}${tail(why.params.deviceMessage)}`;
  }
}

function fnRelayFailureEn(why: FnRelayFailureWhy): string {
  switch (why.code) {
    case 'ofd_unreachable':
      return `The OFD server ${why.params.server} cannot be reached${why.params.error ? ` (${why.params.error})` : ''}. Check the internet and the OFD server address; the documents wait in the FN`;
    case 'ofd_timeout':
      return `The OFD server ${why.params.server} did not answer within ${formatSeconds(why.params.ms, 'en')} s; the station will send the document again`;
    case 'ofd_bad_answer':
      return `The OFD server ${why.params.server} answered with something that is not a message for the FN: check the OFD server address`;
    case 'ofd_closed_early':
      return `The OFD server ${why.params.server} closed the connection in the middle of its answer (${why.params.received} of ${why.params.expected} bytes); the station will send the document again`;
    case 'fn_refused_answer':
      return `The FN did not accept the OFD's answer (error 20h); the document stays in the FN and goes again`;
    case 'fn_message_torn':
      return `The FN's message for the OFD was read wrongly (${why.params.size} bytes, ${why.params.announced === null ? 'no readable header' : `its header says ${why.params.announced}`}); the station will read it again`;
    case 'kkt_not_connected':
      return 'The KKT is not connected: the FN documents go to the OFD when it answers';
    case 'kkt_error':
      return `The KKT refused a command of the OFD exchange${why.params.deviceCode === null ? '' : ` (error ${hex(why.params.deviceCode)})`}`;
  }
}

export const fnRelayRu = {
  fnRelayTitle: 'Документы ФН в ОФД',
  fnRelayHint: 'ККТ без своей связи: касса сама передаёт сообщения ФН на сервер ОФД.',
  fnRelayServer: 'Сервер ОФД',
  fnRelayLastExchange: 'Последний документ передан',
  /** Why the relay last failed, by code; the English message is the tooltip. */
  fnRelayFailureText: fnRelayFailureRu,
};

export const fnRelayEn: typeof fnRelayRu = {
  fnRelayTitle: 'FN documents to the OFD',
  fnRelayHint: 'A KKT without its own network: the station carries the FN messages to the OFD server.',
  fnRelayServer: 'OFD server',
  fnRelayLastExchange: 'Last document delivered',
  fnRelayFailureText: fnRelayFailureEn,
};
