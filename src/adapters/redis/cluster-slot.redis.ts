/**
 * The Redis Cluster hash slot of a key (CRC16/XMODEM of its hash tag, mod
 * 16384), as the cluster specification defines it. WAIT names no key, so the
 * bridge computes which master holds its `{prefix}` to ask that one.
 */
export function clusterSlot(key: string): number {
  const open = key.indexOf('{');
  let tagged = key;
  if (open !== -1) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) tagged = key.slice(open + 1, close);
  }
  let crc = 0;
  for (const byte of Buffer.from(tagged, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc % 16384;
}
