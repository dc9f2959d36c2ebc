/**
 * The one sentence a person sees for an error (i18n/translate.ts errorSentence): the catalogue's for a host error
 * code the catalogues know and for a PublicError that carries its key, in the UI language; the host's own English
 * for a code they do not know; the generic sentence for anything not written for people.
 */
import { describe, expect, it } from 'vitest';
import { errorSentence } from '@/i18n/translate';
import { localized } from '@/utils/localized-text';
import { HostError } from '@/utils/native-client';
import { PublicError } from '@/utils/public-error';
import { StsError } from '@/utils/sts';
import { useCatalogue } from '../support/message-catalogue';

describe('errorSentence', () => {
  it('shows the catalogue sentence for a host error code, in the UI language', async () => {
    const locked = new HostError('/home/a/.aws/credentials is held open by another program; close it.', 'Locked');
    expect(errorSentence(locked)).toMatch(/^A file in ~\/\.aws is held open or locked by another program/);
    await useCatalogue('zh_CN');
    expect(errorSentence(locked)).toMatch(/^~\/\.aws 中的某个文件正被其他程序打开或锁定/);
  });

  it('keeps the host’s own English for a code the catalogues do not know', async () => {
    await useCatalogue('zh_CN');
    expect(errorSentence(new HostError('The helper says something new.', 'SomethingNew', undefined, undefined, 99))).toBe('The helper says something new.');
  });

  it('words a catalogue sentence with its values, and nests a sentence given as a value', async () => {
    await useCatalogue('zh_CN');
    const error = new StsError('Timeout', localized('sts.timeout', { host: 'sts.eu-west-1.amazonaws.com', seconds: 20 }));
    expect(errorSentence(error)).toBe('sts.eu-west-1.amazonaws.com 上的 STS 在 20 秒内没有响应；请检查你的网络连接，然后重新同步。');
    const nested = new PublicError(localized('settings.invalidAt', { where: 'defaultRegion', problem: localized('names.region') }));
    expect(errorSentence(nested)).toBe('设置“defaultRegion”：这不是 AWS 区域名称（例如 eu-west-1）。');
  });

  it('gives the generic sentence for an error not written for people, never its text', () => {
    expect(errorSentence(new Error('TypeError: x is undefined at foo.js:1:2'))).toBe(
      'Something went wrong inside aws-saml-sync; try again, and report it if it repeats.',
    );
  });
});
