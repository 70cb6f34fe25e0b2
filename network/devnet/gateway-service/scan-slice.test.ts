/** A long block scan lets other callbacks run once its slice is used up, and only then. */
import { ScanSlicer } from './scan-slice';

test('within its slice a pause does not let other callbacks run; once the slice is used up it does', async () => {
  let clock = 0;
  const slicer = new ScanSlicer(10, () => clock);
  const ran: string[] = [];
  setImmediate(() => ran.push('other call'));
  clock = 9;
  await slicer.pause();
  ran.push('scan, within its slice');
  clock = 10;
  await slicer.pause();
  ran.push('scan, next slice');
  expect(ran).toEqual(['scan, within its slice', 'other call', 'scan, next slice']);
});

test('a new slice starts after a pause', async () => {
  let clock = 0;
  const slicer = new ScanSlicer(10, () => clock);
  clock = 25;
  await slicer.pause();
  const ran: string[] = [];
  setImmediate(() => ran.push('other call'));
  clock = 30;
  await slicer.pause();
  ran.push('scan');
  expect(ran).toEqual(['scan']); // 5 ms into the slice begun at 25: no pause
  await new Promise(setImmediate);
  expect(ran).toEqual(['scan', 'other call']);
});
