import type { ComponentProps } from "react";
import { MIN_PASSWORD_LENGTH } from "@/lib/users/user-rules";

/** A password an admin sets for someone: never autofilled from the admin's own saved passwords. */
export function NewPasswordInput(props: Omit<ComponentProps<"input">, "name" | "type" | "minLength" | "required" | "autoComplete">) {
  return <input {...props} name="password" type="password" required minLength={MIN_PASSWORD_LENGTH} autoComplete="new-password" />;
}
