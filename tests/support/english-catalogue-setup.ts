/** Every unit and integration test starts with the browser in English, the default locale; a test may switch with useCatalogue. */
import { beforeEach } from 'vitest';
import { useCatalogue } from './message-catalogue';

beforeEach(() => useCatalogue('en'));
