import { isValid } from "@telegram-apps/init-data-node";
import { describe, expect, it } from "vitest";
import { signInitData } from "./signInitData.ts";

describe("Telegram initData as the probe signs it", () => {
  const token = "7000000:AAexampleexampleexampleexample";
  const fields = {
    query_id: "AAH1",
    user: JSON.stringify({ id: 7_000_000_001, first_name: "Harness" }),
    auth_date: String(Math.floor(Date.now() / 1000)),
    signature: "c2lnbmF0dXJl",
  };

  it("validates with @telegram-apps/init-data-node, Telegram's rules as a backend applies them", () => {
    expect(isValid(signInitData(token, fields), token)).toBe(true);
  });

  it("does not validate under another bot's token, or with the user edited", () => {
    expect(isValid(signInitData(token, fields), `${token}0`)).toBe(false);
    const edited = new URLSearchParams(signInitData(token, fields));
    edited.set("user", JSON.stringify({ id: 7_000_000_002, first_name: "Harness" }));
    expect(isValid(edited.toString(), token)).toBe(false);
  });
});
