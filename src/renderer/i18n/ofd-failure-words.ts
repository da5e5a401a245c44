// Why a send to the OFD failed, in the shop's words (the English technical message stays a tooltip).
import type { OfdFailureWhy } from '../../shared/ofd-failure.ts';
import { formatSeconds } from '../format.ts';

export function ofdFailureRu(why: OfdFailureWhy): string {
  switch (why.code) {
    case 'network':
      return `ОФД не отвечает: нет соединения${why.params.error ? ` (${why.params.error})` : ''}. Проверьте интернет и адрес ОФД в настройках`;
    case 'timeout':
      return `ОФД не ответил за ${formatSeconds(why.params.ms, 'ru')} с`;
    case 'http_status':
      return `ОФД ответил ошибкой ${why.params.status}`;
    case 'redirect':
      return `ОФД перенаправляет запрос (${why.params.status}): проверьте адрес ОФД в настройках`;
    case 'endpoint_not_found':
      return `По адресу ОФД нет приёма чеков (${why.params.status}): проверьте адрес ОФД в настройках`;
    case 'too_large':
      return `ОФД прислал слишком большой ответ (${why.params.status}): проверьте адрес ОФД в настройках`;
    case 'bad_answer':
      return `ОФД ответил (${why.params.status}), но не подтвердил приём чека; касса отправит его ещё раз`;
    case 'auth':
      return `ОФД не принял токен (${why.params.status}): проверьте токен в настройках`;
    case 'rate_limited':
      return `ОФД просит подождать ${why.params.retrySeconds} с`;
    case 'rejected':
      return `ОФД отклонил чек (код ответа ${why.params.status})`;
  }
}

export function ofdFailureEn(why: OfdFailureWhy): string {
  switch (why.code) {
    case 'network':
      return `The OFD does not answer: no connection${why.params.error ? ` (${why.params.error})` : ''}. Check the internet and the OFD URL in the settings`;
    case 'timeout':
      return `The OFD did not answer within ${formatSeconds(why.params.ms, 'en')} s`;
    case 'http_status':
      return `The OFD answered with error ${why.params.status}`;
    case 'redirect':
      return `The OFD redirects the request (${why.params.status}): check the OFD URL in the settings`;
    case 'endpoint_not_found':
      return `The OFD URL does not accept receipts (${why.params.status}): check the OFD URL in the settings`;
    case 'too_large':
      return `The OFD sent an answer that is too large (${why.params.status}): check the OFD URL in the settings`;
    case 'bad_answer':
      return `The OFD answered (${why.params.status}) but did not confirm the receipt; the station will send it again`;
    case 'auth':
      return `The OFD refused the token (${why.params.status}): check the token in the settings`;
    case 'rate_limited':
      return `The OFD asks to wait ${why.params.retrySeconds} s`;
    case 'rejected':
      return `The OFD rejected the receipt (status ${why.params.status})`;
  }
}
