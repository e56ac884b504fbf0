import fs from 'node:fs';
import { Geography } from '../src/shared/reference/geography';
import { GeographyIndex } from '../src/shared/reference/address';
const geo = Geography.parse(JSON.parse(fs.readFileSync('resources/geography/beijing.json', 'utf8')));
let t = performance.now();
const idx = new GeographyIndex(geo);
console.log('build ms', performance.now() - t);
const addrs = process.argv.slice(2).length ? process.argv.slice(2) : ['北京市朝阳区建外街道建国门外大街1号','海淀区中关村大街27号','东华门街道南池子大街','八里庄街道','海淀区八里庄街道','朝阳区八里庄','昌平区南口镇横桥村','我要投诉工资拖欠','北京市','前门大街','朝阳门内大街','大兴区旧宫镇','平谷区大兴庄镇','宣武区牛街','通州区北苑','朝阳区北苑路','丰台区马家堡东路','东城区和平里','西城区新街口','顺义区光明街道','新华书店','房山区东风街道'];
for (const a of addrs) {
  const r = idx.resolve(a);
  console.log(a, '→', r.district?.nameZh, r.street?.nameZh, r.community?.nameZh, r.confidence, r.matched.map(m=>m.text).join('/'), r.alternatives ? JSON.stringify(r.alternatives) : '');
}
t = performance.now();
for (let i = 0; i < 10000; i++) idx.resolve(addrs[i % addrs.length] ?? '');
console.log('per resolve µs', (performance.now() - t) / 10000 * 1000);
