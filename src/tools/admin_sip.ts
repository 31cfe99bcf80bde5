/**
 * `smsc numbers sip-user …`: the SIP digest users of subscribers (issue 7,
 * docs/sip-auth.md). The password is read from standard input only; the
 * database keeps HA1 values for MD5 and SHA-256, never the password, and the
 * listing shows neither.
 *
 * @module
 */

import { UsageError } from "../lib/errors.ts";
import type { SipUser } from "../store/numbers_db.ts";
import { plus } from "./admin_format.ts";
import {
  JSON_OPTION,
  listJson,
  notFound,
  operatorNumber,
  readPassword,
  type Sub,
} from "./admin_common.ts";

/** The realm of `sip-user set` without --realm: gsmif.domain's default. */
export const DEFAULT_SIP_REALM = "smsc.local";

/** `+NUMBER username=U realm=R`. */
export function formatSipUser(u: SipUser): string {
  return `${plus(u.e164)} username=${u.username} realm=${u.realm}`;
}

/** The sip-user sub-subcommands, keyed as in `smsc numbers`' table. */
export const SIP_USER_SUBS: Record<string, Sub> = {
  "sip-user set": {
    synopsis: "sip-user set NUMBER --password-stdin [--username U] [--realm R]",
    options: {
      "password-stdin": { type: "boolean" },
      username: { type: "string" },
      realm: { type: "string" },
    },
    positionals: [1, 1],
    readOnly: false,
    async run(ctx) {
      const v = ctx.args.values;
      if (v["password-stdin"] !== true) {
        throw new UsageError(
          "sip-user set needs --password-stdin (the password is read from stdin)",
        );
      }
      const e164 = operatorNumber(ctx.args.positionals[0]);
      const password = await readPassword(ctx);
      ctx.db.setSipUser(
        e164,
        password,
        (v.realm as string | undefined) ?? ctx.sipRealm,
        (v.username as string | undefined) ?? e164,
      );
    },
  },
  "sip-user remove": {
    synopsis: "sip-user remove NUMBER",
    options: {},
    positionals: [1, 1],
    readOnly: false,
    run({ db, args }) {
      const e164 = operatorNumber(args.positionals[0]);
      if (!db.removeSipUser(e164)) notFound(`SIP user of +${e164}`);
    },
  },
  "sip-user list": {
    synopsis: "sip-user list [--json]",
    options: JSON_OPTION,
    positionals: [0, 0],
    readOnly: true,
    run(ctx) {
      listJson(ctx, ctx.db.listSipUsers(), formatSipUser);
    },
  },
};
