import { describe, expect, test } from 'vitest';

import { parseMultipart } from './parseMultipart.js';

describe('parseMultipart', () => {
  test('behavior: reads the compact headers grammY writes, binary data untouched', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]);
    const body = Buffer.concat([
      Buffer.from('--XY\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n-100\r\n--XY\r\n'),
      Buffer.from('content-disposition:form-data;name="f1";filename=pnl.png\r\ncontent-type:image/png\r\n\r\n'),
      bytes,
      Buffer.from('\r\n--XY--\r\n'),
    ]);

    expect(parseMultipart(body, 'multipart/form-data; boundary=XY')).toEqual([
      { name: 'chat_id', data: Buffer.from('-100') },
      { name: 'f1', filename: 'pnl.png', contentType: 'image/png', data: bytes },
    ]);
  });

  test('behavior: reads the spaced, quoted form most clients write', () => {
    const body = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="photo"; filename="a b.png"\r\nContent-Type: image/png\r\n\r\nxyz\r\n--b--\r\n',
    );

    expect(parseMultipart(body, 'multipart/form-data; boundary="b"')).toEqual([
      { name: 'photo', filename: 'a b.png', contentType: 'image/png', data: Buffer.from('xyz') },
    ]);
  });
});
