import pg from "pg";
import { hashPassword } from "../../src/server/auth/password";

/** First run: creates the admin named by ADMIN_EMAIL / ADMIN_PASSWORD unless that user exists. */
export async function bootstrapAdmin(url: string, env: NodeJS.ProcessEnv): Promise<void> {
  const email = env.ADMIN_EMAIL?.trim().toLowerCase();
  const password = env.ADMIN_PASSWORD;
  if (!email || !password) return;
  if (password.length < 8) throw new Error("ADMIN_PASSWORD must be at least 8 characters.");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query(
      `INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, 'admin') ON CONFLICT (email) DO NOTHING RETURNING id`,
      [email, email.split("@")[0], await hashPassword(password)],
    );
    if (res.rowCount) console.log(`[switchyard] created admin user ${email} from ADMIN_EMAIL`);
  } finally {
    await client.end();
  }
}
