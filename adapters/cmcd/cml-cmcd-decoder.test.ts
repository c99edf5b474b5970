import assert from "node:assert/strict";
import { CmcdSyntaxError } from "../../domain/ports/cmcd-decoder.ts";
import { CmlCmcdDecoder } from "./cml-cmcd-decoder.ts";

const decoder = new CmlCmcdDecoder();
const V1 = 'bl=21300,br=3200,bs,cid="movie-1",d=4004,mtp=48100,ot=v,sid="s-1",su';

Deno.test("CMCD v1 in the query argument", () => {
  const url = `http://cdn.test/seg/7.m4s?token=x&CMCD=${encodeURIComponent(V1)}`;
  assert.deepEqual(decoder.fromRequest(url, new Headers()), {
    bl: 21300,
    br: 3200,
    bs: true,
    cid: "movie-1",
    d: 4004,
    mtp: 48100,
    ot: "v",
    sid: "s-1",
    su: true,
  });
});

Deno.test("CMCD v2 in the four headers, lists as arrays", () => {
  const headers = new Headers({
    "CMCD-Request": "bl=(21300 1000),dl=18500",
    "CMCD-Object": "br=(3200),d=4004,ot=v",
    "CMCD-Status": "bs,sta=p",
    "CMCD-Session": 'cid="c-1",sid="s-2",v=2',
  });
  const data = decoder.fromRequest("http://cdn.test/seg/8.m4s", headers);
  assert.deepEqual(data, {
    bl: [21300, 1000],
    dl: 18500,
    br: [3200],
    d: 4004,
    ot: "v",
    bs: true,
    sta: "p",
    cid: "c-1",
    sid: "s-2",
    v: 2,
  });
});

Deno.test("a request without CMCD has none; an unreadable one is a syntax error", () => {
  assert.equal(decoder.fromRequest("http://cdn.test/seg/1.m4s?a=1", new Headers()), undefined);
  assert.throws(
    () => decoder.fromRequest("http://cdn.test/x?CMCD=garbage(((", new Headers()),
    CmcdSyntaxError,
  );
});

Deno.test("event-mode lines are decoded one by one; a bad line says why", () => {
  const lines = decoder.fromLines('e=ps,sta=a,ts=1700000000000,sid="s",pt=5000,v=2\n\nnot((cmcd\n');
  assert.deepEqual(lines[0], {
    data: { e: "ps", sta: "a", ts: 1700000000000, sid: "s", pt: 5000, v: 2 },
  });
  assert.equal(lines.length, 2);
  assert.ok("error" in lines[1]!);
});
