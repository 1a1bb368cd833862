-- CreateTable
CREATE TABLE "RequestSeen" (
    "userId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RequestSeen_pkey" PRIMARY KEY ("userId","requestId")
);

-- AddForeignKey
ALTER TABLE "RequestSeen" ADD CONSTRAINT "RequestSeen_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestSeen" ADD CONSTRAINT "RequestSeen_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "RunnerRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

