import { test } from "node:test";
import assert from "node:assert/strict";
import { ago, money, percent, quantity, signedMoney } from "../src/format.js";

test("money is never silently zero", () => {
  assert.equal(money("13235.494"), "$13,235.49");
  assert.equal(money("0.000425"), "$0.000425");
  assert.equal(money("0"), "$0.00");
  assert.equal(money(null), "unpriced");
  assert.equal(money(undefined), "unpriced");
});

test("differences carry their sign", () => {
  assert.equal(signedMoney("12.3"), "+$12.30");
  assert.equal(signedMoney(-4), "\u2212$4.00");
  assert.equal(signedMoney("0.001"), "$0.00");
});

test("quantities, shares and times", () => {
  assert.equal(quantity("1234567.891", 1), "1,234,567.9");
  assert.equal(quantity(null), "\u2014");
  assert.equal(percent(0.95), "95 %");
  assert.equal(ago(1000, 1000 * 1000 + 30_000), "just now");
  assert.equal(ago(1000, (1000 + 600) * 1000), "10 min ago");
});
