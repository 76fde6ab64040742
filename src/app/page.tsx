import { redirect } from "next/navigation";

/** The dashboard starts at the overview (its layout sends signed-out visitors to sign in). */
export default function Home() {
  redirect("/overview");
}
